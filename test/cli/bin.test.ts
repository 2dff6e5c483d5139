import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const emulator = useEmulator({ seed: 11 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

describe('verdict run (spawned)', () => {
  it('grades a dataset into JSONL and CSV and writes the summary', async () => {
    const dataset = await qaDataset(6, dir);
    const { code, stderr } = await runBin(
      ['run', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl', '-o', 'out.csv', '--summary', 'summary.json'],
      { cwd: dir, env: env() },
    );
    expect(stderr).toContain('graded');
    expect(code).toBe(0);
    const records = await readRecords(path.join(dir, 'out.jsonl'));
    expect(records).toHaveLength(6);
    const csvRows = parse(await readFile(path.join(dir, 'out.csv'), 'utf8'), { columns: true }) as Record<string, string>[];
    expect(csvRows).toHaveLength(6);
    const byId = new Map(records.map((r) => [r.id, r]));
    for (const row of csvRows) {
      expect(Number(row.score)).toBe(byId.get(row.id!)!.score);
      expect(row.judge_model).toBe('gpt-4o-mini');
      expect(row.row_input).toBe(byId.get(row.id!)!.row.input);
    }
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'complete', rows: 6, graded: 6, requests: 6 });
  });

  it('reads JSONL from stdin with -d -', async () => {
    const rows = ['{"id":"a","input":"q","reference":"r","output":"o"}', '{"id":"b","input":"q","reference":"r","output":"o"}'];
    const { code } = await runBin(['run', '-d', '-', '-p', 'correctness', '-o', 'out.jsonl'], { cwd: dir, env: env(), stdin: rows.join('\n') });
    expect(code).toBe(0);
    expect((await readRecords(path.join(dir, 'out.jsonl'))).map((r) => r.id).sort()).toEqual(['a', 'b']);
  });

  it.each([
    [
      'a row lacking a template variable',
      'data.jsonl',
      '{"id":"1","input":"q","reference":"r","output":"o"}\n{"id":"2","input":"q","output":"o"}\n',
      /data\.jsonl:2 \(row 2, field "reference"\)/,
    ],
    ['a malformed JSONL line', 'data.jsonl', '{"id":"1","input":"q","reference":"r","output":"o"}\n{"id": 2,\n', /data\.jsonl:2 \(row 2\): not valid JSON/],
    ['a ragged CSV row', 'data.csv', 'id,input,reference,output\n1,q,r,o\n2,q,r\n', /data\.csv:3 \(row 2\): row has 3 fields but the header has 4/],
    ['a duplicate id', 'data.jsonl', '{"id":"x","input":"q","reference":"r","output":"o"}\n{"id":"x","input":"q","reference":"r","output":"o"}\n', /duplicate id "x"/],
  ])('exits 2 on %s, naming it, with no request sent', async (_what, name, content, expected) => {
    await writeFile(path.join(dir, name), content);
    const { code, stderr } = await runBin(['run', '-d', name, '-p', 'correctness'], { cwd: dir, env: env() });
    expect(code).toBe(2);
    expect(stderr).toMatch(expected);
    expect(emulator.stats().requests).toBe(0);
    // Nothing was created either.
    expect(await readdir(dir)).toEqual([name]);
  });

  it('exits 2 for a bad flag value, naming the flag', async () => {
    const dataset = await qaDataset(1, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-c', 'zero'], { cwd: dir, env: env() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--concurrency/);
  });

  it('never overwrites an existing results file without --force', async () => {
    const dataset = await qaDataset(2, dir);
    await writeFile(path.join(dir, 'results.jsonl'), 'precious\n');
    const refused = await runBin(['run', '-d', dataset, '-p', 'correctness'], { cwd: dir, env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/results\.jsonl already exists.*--force/);
    expect(await readFile(path.join(dir, 'results.jsonl'), 'utf8')).toBe('precious\n');
    expect(emulator.stats().requests).toBe(0);
    const forced = await runBin(['run', '-d', dataset, '-p', 'correctness', '--force'], { cwd: dir, env: env() });
    expect(forced.code).toBe(0);
    expect(await readRecords(path.join(dir, 'results.jsonl'))).toHaveLength(2);
  });

  it('exits 2 with no key set, before sending', async () => {
    const dataset = await qaDataset(1, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness'], { cwd: dir, env: { OPENAI_BASE_URL: emulator.url } });
    expect(code).toBe(2);
    expect(stderr).toMatch(/OPENAI_API_KEY is not set/);
    expect(emulator.stats().requests).toBe(0);
  });

  it('reads the key from .env in the working directory', async () => {
    const dataset = await qaDataset(1, dir);
    await writeFile(path.join(dir, '.env'), `OPENAI_API_KEY=${TEST_KEY}\n`);
    const { code } = await runBin(['run', '-d', dataset, '-p', 'correctness'], { cwd: dir, env: { OPENAI_BASE_URL: emulator.url } });
    expect(code).toBe(0);
  });

  it('exits 3 on a rejected key and never prints or writes the key, even when the server echoes it', async () => {
    emulator.setFaults([{ kind: 'unauthorized' }]);
    const dataset = await qaDataset(5, dir);
    const { code, stdout, stderr } = await runBin(
      ['run', '-d', dataset, '-p', 'correctness', '-o', 'r.jsonl', '-o', 'r.csv', '--summary', 's.json', '-c', '2'],
      { cwd: dir, env: env() },
    );
    expect(code).toBe(3);
    expect(stderr).toMatch(/Incorrect API key provided: \[redacted\]/);
    expect(emulator.stats().requests).toBeLessThanOrEqual(2);
    expect(stdout + stderr).not.toContain(TEST_KEY);
    for (const file of await readdir(dir)) {
      expect(await readFile(path.join(dir, file), 'utf8')).not.toContain(TEST_KEY);
    }
  });

  it('keeps the key out of error records too', async () => {
    // A row-level 400 whose message echoes the key must not carry it into the results.
    emulator.setFaults([{ kind: 'unauthorized', match: 'Question number 2?' }]);
    const dataset = await qaDataset(3, dir);
    await runBin(['run', '-d', dataset, '-p', 'correctness', '-c', '1'], { cwd: dir, env: env() });
    expect(await readFile(path.join(dir, 'results.jsonl'), 'utf8')).not.toContain(TEST_KEY);
  });

  it('prints the first request on --dry-run and sends nothing', async () => {
    const dataset = await qaDataset(3, dir);
    const { code, stdout } = await runBin(['run', '-d', dataset, '-p', 'correctness', '--dry-run'], { cwd: dir, env: {} });
    expect(code).toBe(0);
    expect(stdout).toContain('Question number 1?');
    expect(stdout).toMatch(/rows: 3/);
    expect(emulator.stats().requests).toBe(0);
  });

  it('prints plain progress lines, not a bar, when stderr is not a terminal', async () => {
    const dataset = await qaDataset(3, dir);
    const { stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness'], { cwd: dir, env: env() });
    expect(stderr).toMatch(/3\/3 rows/);
    expect(stderr).not.toMatch(/\u2591|\u2588|\x1b\[/);
  });
});

describe('verdict prompts (spawned)', () => {
  it('lists the built-in prompts and prints one', async () => {
    const list = await runBin(['prompts']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/correctness\s+score/);
    expect(list.stdout).toMatch(/pass-fail\s+pass-fail/);
    const one = await runBin(['prompts', 'helpfulness']);
    expect(one.stdout).toMatch(/scale: \{ min: 1, max: 10 \}/);
  });

  it('exits 2 for an unknown command', async () => {
    const { code, stderr } = await runBin(['grade']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command/);
  });
});
