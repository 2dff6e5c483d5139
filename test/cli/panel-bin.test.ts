/** Issue 17 item 1, end to end through the built bin: a panel of three judges, each its own emulator, seed and key. */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read-results.js';
import type { ResultRecord } from '../../src/results/record.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const KEY_B = 'judge-b-key-0123456789-DONOTLEAK';
const KEY_C = 'judge-c-key-0123456789-DONOTLEAK';
const a = useEmulator({ seed: 11, apiKey: TEST_KEY });
const b = useEmulator({ seed: 12, apiKey: KEY_B });
const c = useEmulator({ seed: 13, apiKey: KEY_C });
const emulators = [a, b, c];

let dir: string;
let dataset: string;
beforeEach(async () => {
  dir = await tempDir();
  dataset = await qaDataset(6, dir);
});

const judgeFlags = () => ['--judge', `judge-a@${a.url}`, '--judge', `judge-b@${b.url},key=JUDGE_B_KEY`, '--judge', `judge-c@${c.url},key=JUDGE_C_KEY`];
const requests = () => emulators.map((emulator) => emulator.stats().requests);

async function csvRecords(file: string): Promise<ResultRecord[]> {
  const records: ResultRecord[] = [];
  for await (const record of readResults(file)) records.push(record);
  return records;
}

describe('verdict run --judge … (spawned)', () => {
  it('grades every row with every judge, each key (one from .env) reaching only its server, and never prints a key', async () => {
    // The run's key and one judge's come from the environment, the other judge's from .env, as OPENAI_API_KEY may.
    await writeFile(path.join(dir, '.env'), `JUDGE_C_KEY=${KEY_C}\n`);
    const { code, stdout, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', ...judgeFlags(), '--aggregate', 'median', '-o', 'out.jsonl', '-o', 'out.csv', '--summary', 'summary.json', '--no-progress'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: KEY_B },
    });
    expect(code).toBe(0);
    expect(requests()).toEqual([6, 6, 6]);
    for (const emulator of emulators) expect(emulator.stats().outcomes).toEqual({ ok: 6 });
    const records = await readRecords(path.join(dir, 'out.jsonl'));
    expect(records.every((record) => record.judge.model === 'judge-a,judge-b,judge-c' && record.votes?.length === 3)).toBe(true);
    // The CSV carries the votes too, in one JSON cell, and reads back as the JSONL has them.
    const fromCsv = await csvRecords(path.join(dir, 'out.csv'));
    expect(new Map(fromCsv.map((record) => [record.id, record.votes]))).toEqual(new Map(records.map((record) => [record.id, record.votes])));
    const manifest = JSON.parse(await readFile(path.join(dir, 'out.jsonl.manifest.json'), 'utf8'));
    expect(manifest.judge).toMatchObject({ model: 'judge-a,judge-b,judge-c', aggregate: 'median' });
    const written = [stdout, stderr, await readFile(path.join(dir, 'out.jsonl'), 'utf8'), await readFile(path.join(dir, 'out.csv'), 'utf8'), await readFile(path.join(dir, 'summary.json'), 'utf8'), JSON.stringify(manifest)].join('\n');
    for (const key of [TEST_KEY, KEY_B, KEY_C]) expect(written).not.toContain(key);
  });

  it('exits 2 on an unset key variable, naming the judge and the variable, before any request', async () => {
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', ...judgeFlags(), '-o', 'out.jsonl'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: KEY_B } });
    expect(code).toBe(2);
    expect(stderr).toContain('verdict: JUDGE_C_KEY is not set: judge judge-c reads its API key from it (key=JUDGE_C_KEY)');
    expect(requests()).toEqual([0, 0, 0]);
  });

  it('exits 3 when a judge\'s key is refused, naming the judge and never the key the server echoed', async () => {
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', ...judgeFlags(), '-o', 'out.jsonl', '--no-progress'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: 'not-the-key-of-judge-b-DONOTLEAK', JUDGE_C_KEY: KEY_C },
    });
    expect(code).toBe(3);
    expect(stderr).toContain('judge judge-b: Incorrect API key provided: [redacted]');
    expect(stderr).not.toContain('not-the-key-of-judge-b-DONOTLEAK');
  });

  it.each([
    [['-m', 'gpt-4o-mini'], /--judge and -m\/--model both name the judge/],
    [['--aggregate', 'mean', '-p', 'pairwise'], /--aggregate mean folds the judges' scores/],
    [['--batch'], /--judge is not available with --batch yet/],
  ])('exits 2 on %j, before any request', async (extra, message) => {
    const prompt = extra.includes('pairwise') ? [] : ['-p', 'correctness'];
    const { code, stderr } = await runBin(['run', '-d', dataset, ...prompt, ...judgeFlags(), ...extra, '-o', 'out.jsonl'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: KEY_B, JUDGE_C_KEY: KEY_C } });
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(requests()).toEqual([0, 0, 0]);
  });

  it('--dry-run shows each judge, its server and the name of its key variable, and one request per judge per row', async () => {
    const { code, stdout } = await runBin(['run', '-d', dataset, '-p', 'correctness', ...judgeFlags(), '--dry-run'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: KEY_B } });
    expect(code).toBe(0);
    expect(stdout).toContain('panel of 3 judges (--aggregate mean), each asked every row:');
    expect(stdout).toContain(`  judge-b  at ${b.url}  key from JUDGE_B_KEY\n`);
    expect(stdout).toContain(`  judge-a  at ${a.url}  key from OPENAI_API_KEY\n`);
    // A dry run needs no key, but says which one a run would miss.
    expect(stdout).toContain(`  judge-c  at ${c.url}  key from JUDGE_C_KEY (not set: a run would stop before sending)`);
    expect(stdout).not.toContain(KEY_B);
    expect(stdout).toContain('estimated cost: unknown (no price for judge-a, judge-b, judge-c)');
    expect(stdout).toContain('requests: 18 (3 per row: 3 judges)');
    expect(stdout).not.toContain(TEST_KEY);
    expect(requests()).toEqual([0, 0, 0]);
  });

  it('runs the panel a verdict.yaml suite names, in either form of judge', async () => {
    await writeFile(
      path.join(dir, 'verdict.yaml'),
      [
        'suites:',
        '  panel:',
        `    dataset: ${dataset}`,
        '    prompt: correctness',
        '    out: out.jsonl',
        '    aggregate: majority',
        '    judges:',
        `      - judge-a@${a.url}`,
        `      - { model: judge-b, base_url: "${b.url}", api_key_env: JUDGE_B_KEY }`,
        `      - { model: judge-c, base_url: "${c.url}", api_key_env: JUDGE_C_KEY }`,
        '',
      ].join('\n'),
    );
    const { code, stderr } = await runBin(['run', '--no-progress'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, JUDGE_B_KEY: KEY_B, JUDGE_C_KEY: KEY_C } });
    expect(stderr).not.toMatch(/verdict: /);
    expect(code).toBe(0);
    expect(requests()).toEqual([6, 6, 6]);
    const manifest = JSON.parse(await readFile(path.join(dir, 'out.jsonl.manifest.json'), 'utf8'));
    expect(manifest.judge).toMatchObject({ model: 'judge-a,judge-b,judge-c', aggregate: 'majority' });
  });
});
