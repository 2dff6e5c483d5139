import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectBatches } from '../../src/batch/collect.js';
import { waitForParts } from '../../src/batch/poll.js';
import { submitBatches } from '../../src/batch/submit.js';
import { PairwiseBiasCounter } from '../../src/stats/pairwise-bias.js';
import { tempDir } from '../helpers/io.js';
import { readRecords } from '../helpers/run.js';
import { batchClient, collectOptions, quickSleep, submitOptions, withBatchEmulator } from './helpers.js';

const PAIRWISE = `---
name: pair
mode: pairwise
pair: { a: output_1, b: output_2 }
swap: false
---
user:
Instruction: {{ input }}
[A] {{ output_a }}
[B] {{ output_b }}
`;

describe('bias figures of a batch run', () => {
  it("count the answers the prompt's pair names (one order: the batch path judges no swaps)", async () => {
    const dir = await tempDir();
    const prompt = path.join(dir, 'pair.md');
    await writeFile(prompt, PAIRWISE);
    const rows = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, input: `Instruction ${i}`, output_1: `First ${'x'.repeat(i)}`, output_2: `Second answer ${i}` }));
    const dataset = path.join(dir, 'pairs.jsonl');
    await writeFile(dataset, rows.map((row) => JSON.stringify(row)).join('\n'));
    const out = path.join(dir, 'results.jsonl');
    await withBatchEmulator({}, async (emulator) => {
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches({ ...submitOptions(emulator, dataset, out), source: { dataset, prompt } }, { client });
      await waitForParts(state, statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      const { summary } = await collectBatches(state, statePath, collectOptions(), { client });
      const expected = new PairwiseBiasCounter({ a: 'output_1', b: 'output_2' });
      for (const record of await readRecords(out)) expected.add(record);
      expect(expected.figures().longer_wins_n).toBeGreaterThan(0);
      expect(summary.pairwise).toMatchObject(expected.figures());
    });
  });
});
