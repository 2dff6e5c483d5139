import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PairwiseBiasCounter } from '../../src/stats/pairwise-bias.js';
import { tempDir } from '../helpers/io.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { verdictJson } from '../commands/helpers.js';
import type { Summary } from '../../src/stats/summary.js';

const PAIRWISE = `---
name: pair
mode: pairwise
pair: { a: output_1, b: output_2 }
---
user:
Instruction: {{ input }}
[A] {{ output_a }}
[B] {{ output_b }}
`;

describe('bias figures of a pairwise run', () => {
  it("count the answers the prompt's pair names, in the run summary and in verdict stats", async () => {
    const dir = await tempDir();
    const prompt = path.join(dir, 'pair.md');
    await writeFile(prompt, PAIRWISE);
    // The answers are output_1 / output_2 (the prompt's pair), not the default output_a / output_b: the lengths must be read there.
    const rows = Array.from({ length: 16 }, (_, i) => ({ input: `Instruction ${i}`, output_1: `First ${'x'.repeat(i)}`, output_2: `Second answer ${i}` }));
    const dataset = path.join(dir, 'pairs.json');
    await writeFile(dataset, JSON.stringify(rows));
    const { result, records, out } = await runAgainstEmulator({}, { prompt, dataset });
    expect(result.kind === 'run' && result.exitCode).toBe(0);

    // Counted again from the records, by the module's own rules, with the real paths.
    const expected = new PairwiseBiasCounter({ a: 'output_1', b: 'output_2' });
    for (const record of records) expected.add(record);
    const figures = expected.figures();
    expect(figures.first_shown_wins_n).toBeGreaterThan(0);
    expect(figures.longer_wins_n).toBeGreaterThan(0);
    const summary = result.kind === 'run' ? result.summary : undefined;
    expect(summary?.pairwise).toMatchObject(figures);

    // verdict stats finds the same paths in the run's manifest.
    const stats = await verdictJson<Summary>(['stats', out]);
    expect(stats.pairwise).toMatchObject(figures);
  });
});
