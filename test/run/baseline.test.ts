import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';
import { writeResults } from '../commands/helpers.js';

const emulator = useEmulator({ seed: 5 });
let dir: string;
let dataset: string;

beforeEach(async () => {
  dir = await tempDir();
  dataset = await qaDataset(8, dir);
});

const env = (extra: NodeJS.ProcessEnv = {}) => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, ...extra });
const file = (name: string) => path.join(dir, name);

/**
 * A baseline written by hand from a first run: each record's score moved by `shift`. The emulator's
 * answers are a function of its seed and the prompt, so a second run scores every row as the first
 * did, and every id then differs from the baseline by exactly -shift.
 */
async function baselineShiftedBy(shift: number, name: string): Promise<string> {
  const first = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'first.jsonl'], { cwd: dir, env: env() });
  expect(first.code).toBe(0);
  const records = await readRecords(file('first.jsonl'));
  return writeResults(file(name), records.map((record) => ({ ...record, score: record.score! + shift })));
}

describe('verdict run --baseline (spawned, against the emulator)', () => {
  it('exits 1 when the run is worse than the baseline beyond --fail-if-worse, writing the comparison and the step summary', async () => {
    const base = await baselineShiftedBy(1, 'base.jsonl');
    await writeFile(file('step-summary.md'), '## earlier step\n');
    const run = await runBin(
      ['run', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--baseline', base, '--fail-if-worse', '0.5', '--markdown', 'comment.md'],
      { cwd: dir, env: env({ GITHUB_STEP_SUMMARY: file('step-summary.md') }) },
    );
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('verdict: mean score fell against the baseline: change -1, 95% CI -1 to -1, wholly below -0.5 (--fail-if-worse 0.5)');
    // Nothing graded is lost to the gate.
    expect(await readRecords(file('head.jsonl'))).toHaveLength(8);
    const comment = await readFile(file('comment.md'), 'utf8');
    expect(comment.split('\n')[0]).toBe('### ❌ verdict: worse than the baseline · mean score');
    expect(comment).toContain('| 8 | 0 | 0 | 8 |');
    expect(comment).toContain('**Rows that got worse most (8)**');
    expect(comment).toContain('<sub>base base.jsonl (gpt-4o-mini, correctness); head head.jsonl (gpt-4o-mini, correctness)');
    const summary = await readFile(file('step-summary.md'), 'utf8');
    expect(summary.startsWith('## earlier step\n### ❌ verdict: complete')).toBe(true);
    expect(summary).toContain('#### ❌ verdict: worse than the baseline · mean score');
    expect(summary).toContain('| mean score |');
  });

  it('exits 0 against a baseline it beats, and with a delta that tolerates the fall', async () => {
    const lower = await baselineShiftedBy(-1, 'lower.jsonl');
    const better = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--baseline', lower, '--markdown', 'comment.md'], { cwd: dir, env: env() });
    expect(better.code).toBe(0);
    expect((await readFile(file('comment.md'), 'utf8')).split('\n')[0]).toBe('### ✅ verdict: not surely worse than the baseline · mean score');
    const higher = await writeResults(file('higher.jsonl'), (await readRecords(file('first.jsonl'))).map((r) => ({ ...r, score: r.score! + 1 })));
    const tolerated = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'again.jsonl', '--baseline', higher, '--fail-if-worse', '1'], { cwd: dir, env: env() });
    expect(tolerated.code).toBe(0);
  });

  it('combines with the other gates: a failed --fail-under and a failed baseline are both said, exit 1', async () => {
    const base = await baselineShiftedBy(1, 'base.jsonl');
    const run = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--baseline', base, '--fail-under', '99'], { cwd: dir, env: env() });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/mean score .* is below --fail-under 99/);
    expect(run.stderr).toContain('fell against the baseline');
  });

  it('exits 2 with no request sent on --fail-if-worse without --baseline, a baseline that is an output, or one that is not results', async () => {
    emulator.resetStats();
    const alone = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--fail-if-worse', '0.1'], { cwd: dir, env: env() });
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--fail-if-worse compares the run with a baseline: give the baseline results file with --baseline');

    await writeFile(file('base.jsonl'), '');
    const same = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'base.jsonl', '--baseline', 'base.jsonl', '--force'], { cwd: dir, env: env() });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('base.jsonl is the baseline results file, so it cannot also be the results file');

    const notResults = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--baseline', dataset], { cwd: dir, env: env() });
    expect(notResults.code).toBe(2);
    expect(notResults.stderr).toContain(path.basename(dataset));

    const onlyXml = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'junit.xml', '--baseline', dataset], { cwd: dir, env: env() });
    expect(onlyXml.code).toBe(2);
    expect(onlyXml.stderr).toContain('--out must include a .jsonl or .csv results file');
    const batch = await runBin(['run', '--batch', '-d', dataset, '-p', 'correctness', '-o', 'head.jsonl', '--baseline', dataset], { cwd: dir, env: env() });
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('--baseline is not available with --batch yet');
    expect(emulator.stats().requests).toBe(0);
  });
});
