import { appendFile, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { RunOptions } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { useEmulator } from '../helpers/emulator.js';
import { runEval } from '../../src/run/run-eval.js';
import type { RunEvent } from '../../src/run/events.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';

const emulator = useEmulator({ seed: 5 });
let dir: string;
let dataset: string;
let out: string;

beforeEach(async () => {
  dir = await tempDir();
  dataset = await qaDataset(10, dir);
  out = path.join(dir, 'results.jsonl');
});

async function run(options: Partial<RunOptions> = {}, events: RunEvent[] = []) {
  const result = await runEval(
    RunOptions.parse({ dataset, prompt: 'correctness', out: [out], baseUrl: emulator.url, maxErrorRate: 1, ...options }),
    { apiKey: TEST_KEY, backoff: { baseMs: 1, capMs: 5 }, onEvent: (event) => events.push(event) },
  );
  if (result.kind !== 'run') throw new Error('expected a run');
  return result;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `q${i + 1}`).sort();

describe('--resume', () => {
  it('skips rows graded without error, grades the errored and missing ones, and keeps one record per id', async () => {
    emulator.setFaults([
      { kind: 'server_error', match: 'Question number 3?' },
      { kind: 'server_error', match: 'Question number 7?' },
    ]);
    await run({ maxRetries: 0, limit: 8 });
    const first = await readRecords(out);
    expect(first.filter((r) => r.error !== null).map((r) => r.id).sort()).toEqual(['q3', 'q7']);

    emulator.setFaults([]);
    emulator.resetStats();
    const events: RunEvent[] = [];
    const resumed = await run({ resume: true }, events);
    // q3 and q7 again, q9 and q10 for the first time; nothing graded twice.
    expect(emulator.stats().requests).toBe(4);
    const records = await readRecords(out);
    expect(records.map((r) => r.id).sort()).toEqual(ids(10));
    expect(records.every((r) => r.error === null)).toBe(true);
    expect(resumed.summary).toMatchObject({ status: 'complete', rows: 10, graded: 10 });
    expect(events.find((e) => e.type === 'start')).toMatchObject({ rows: 4, alreadyGraded: 6 });
    expect(resumed.exitCode).toBe(0);
  });

  it('simply starts when there is no results file yet', async () => {
    const result = await run({ resume: true });
    expect(result.summary.graded).toBe(10);
    expect(emulator.stats().requests).toBe(10);
  });

  it('sets a torn last line aside, warns, and grades that row again', async () => {
    await run({ limit: 4 });
    await appendFile(out, '{"id":"q5","score":4,"pa');
    const events: RunEvent[] = [];
    await run({ resume: true }, events);
    const records = await readRecords(out);
    expect(records.map((r) => r.id).sort()).toEqual(ids(10));
    const aside = (await readdir(dir)).find((name) => name.startsWith('results.jsonl.torn-'));
    expect(aside).toBeDefined();
    expect(await readFile(path.join(dir, aside!), 'utf8')).toBe('{"id":"q5","score":4,"pa');
    const notes = events.filter((e) => e.type === 'note').map((e) => (e as { message: string }).message);
    expect(notes.join('\n')).toMatch(/set aside .*line 5: torn last line/);
  });

  it('continues a CSV results file, keeping its header and one line per id', async () => {
    const csv = path.join(dir, 'results.csv');
    emulator.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    await run({ out: [csv], maxRetries: 0, limit: 5 });
    emulator.setFaults([]);
    await run({ out: [csv], resume: true });
    const lines = (await readFile(csv, 'utf8')).trim().split('\n');
    expect(lines[0]).toMatch(/^id,score,pass,/);
    const rowIds = lines.slice(1).map((line) => line.split(',')[0]!).sort();
    expect(rowIds).toEqual(ids(10));
  });

  it('refuses to mix results of another judge configuration, unless --force', async () => {
    await run({ limit: 3 });
    const refused = await run({ resume: true, model: 'gpt-4o' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toMatch(/different configuration: model: gpt-4o-mini → gpt-4o/);
    const forced = await run({ resume: true, model: 'gpt-4o', force: true });
    expect(forced.summary.graded).toBe(10);
  });

  it('refuses records of another prompt or model when there is no manifest, unless --force, touching nothing', async () => {
    // Issue 12: without a manifest, a resume mixed two judges after a mere warning.
    await run({ limit: 3 });
    await rm(`${out}.manifest.json`);
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const other = lines.map((line, i) => (i === 1 ? line.replace(/"prompt_sha":"[0-9a-f]+"/, '"prompt_sha":"0123456789abcdef"') : line));
    await writeFile(out, `${other.join('\n')}\n`);
    const before = await readFile(out, 'utf8');
    emulator.resetStats();
    const refused = await run({ resume: true }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(UsageError);
    expect((refused as Error).message).toMatch(/results\.jsonl holds records graded by another judge \(prompt correctness sha 0123456789ab on gpt-4o-mini, not prompt correctness sha [0-9a-f]{12} on gpt-4o-mini\) and has no manifest/);
    expect(emulator.stats().requests).toBe(0);
    expect(await readFile(out, 'utf8')).toBe(before);
    await expect(run({ resume: true, model: 'gpt-4o' })).rejects.toThrow(/another judge .* not prompt correctness sha [0-9a-f]{12} on gpt-4o\)/);

    const events: RunEvent[] = [];
    const forced = await run({ resume: true, force: true }, events);
    expect(forced.summary.graded).toBe(10);
    expect(events.some((e) => e.type === 'note' && /despite records of another judge/.test(e.message))).toBe(true);
  });

  it('refuses to continue when the dataset changed', async () => {
    await run({ limit: 3 });
    await appendFile(dataset, `${JSON.stringify({ id: 'extra', input: 'q', reference: 'r', output: 'o' })}\n`);
    await expect(run({ resume: true })).rejects.toThrow(/dataset content .* changed/);
  });
});

describe('--retry-errors', () => {
  it('grades again only the rows whose record is an error', async () => {
    emulator.setFaults([{ kind: 'server_error', match: 'Question number 4?' }]);
    await run({ maxRetries: 0, limit: 6 });
    emulator.setFaults([]);
    emulator.resetStats();
    const result = await run({ retryErrors: true });
    expect(emulator.stats().requests).toBe(1);
    const records = await readRecords(out);
    // q7..q10 were never graded and --retry-errors leaves them alone.
    expect(records.map((r) => r.id).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
    expect(records.every((r) => r.error === null)).toBe(true);
    expect(result.summary.graded).toBe(6);
  });

  it('needs an existing results file', async () => {
    await expect(run({ retryErrors: true })).rejects.toThrow(/--retry-errors needs an existing results file/);
  });
});

describe('the run manifest', () => {
  it('is written beside the results with the judge configuration and the dataset hash', async () => {
    await run({ limit: 1 });
    const manifest = JSON.parse(await readFile(`${out}.manifest.json`, 'utf8'));
    expect(manifest).toMatchObject({
      version: 1,
      judge: { prompt: 'correctness', model: 'gpt-4o-mini', mode: 'score', temperature: 0, max_tokens: 400 },
      dataset: { file: dataset, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
      id_field: 'id',
    });
  });

  it('is not confused by a hand-written file that is not one', async () => {
    await run({ limit: 1 });
    await writeFile(`${out}.manifest.json`, 'nonsense');
    await expect(run({ resume: true })).rejects.toThrow(/not a verdict run manifest/);
  });
});
