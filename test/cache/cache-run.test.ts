import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ENTRIES_FOLDER } from '../../src/cache/store.js';
import type { ResultRecord } from '../../src/results/record.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const QA = path.resolve('datasets/qa.jsonl');
const emulator = useEmulator({ seed: 5 });
let dir: string;
let cacheDir: string;

beforeEach(async () => {
  dir = await tempDir();
  cacheDir = path.join(dir, 'cache');
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

/** Runs the bin on `dataset` into `out` with the test's cache; returns its exit code and stderr. */
async function grade(out: string, extra: string[] = [], dataset = QA) {
  const result = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', out, '--summary', `${out}.summary.json`, '--cache-dir', cacheDir, '--no-progress', ...extra], {
    cwd: dir,
    env: env(),
    timeoutMs: 30_000,
  });
  expect(result.stderr).not.toContain('Error');
  return result;
}

const entriesIn = async (folder = cacheDir) => (await readdir(path.join(folder, ENTRIES_FOLDER)).catch(() => [])).filter((name) => name.endsWith('.json'));
const summaryOf = async (out: string) => JSON.parse(await readFile(path.join(dir, `${out}.summary.json`), 'utf8')) as Record<string, unknown> & { cache?: { hits: number; saved_usd: number | null } };
const byId = (records: ResultRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
const withoutRunFields = ({ cached: _cached, latency_ms: _latency, wait_ms: _wait, ...rest }: ResultRecord) => rest;

describe('the response cache (spawned, against the emulator)', () => {
  it('grades qa.jsonl twice: 20 requests, then 0, with the same records apart from cached and latency_ms', async () => {
    expect((await grade('first.jsonl')).code).toBe(0);
    expect(emulator.stats().requests).toBe(20);
    expect(await entriesIn()).toHaveLength(20);
    emulator.resetStats();

    const second = await grade('second.jsonl');
    expect(second.code).toBe(0);
    expect(emulator.stats().requests).toBe(0);
    const first = byId(await readRecords(path.join(dir, 'first.jsonl')));
    const again = byId(await readRecords(path.join(dir, 'second.jsonl')));
    expect(first.every((record) => record.cached === undefined)).toBe(true);
    expect(again.every((record) => record.cached === true)).toBe(true);
    expect(again.map(withoutRunFields)).toEqual(first.map(withoutRunFields));
    // Absent, not false, on a row that was sent: files of runs without hits keep their old shape.
    expect(await readFile(path.join(dir, 'first.jsonl'), 'utf8')).not.toContain('"cached"');

    const firstSummary = await summaryOf('first.jsonl');
    const secondSummary = await summaryOf('second.jsonl');
    expect(firstSummary).toMatchObject({ requests: 20, cache: { hits: 0, saved_usd: 0 } });
    // The mean is summed in the order rows finish, so its last bits may differ between two runs.
    expect(secondSummary).toMatchObject({ requests: 0, cost_usd: 0, cache: { hits: 20, saved_usd: firstSummary.cost_usd } });
    expect(secondSummary.mean).toBeCloseTo(firstSummary.mean as number, 12);
    expect(second.stderr).toMatch(/\ncache +20 hits, saved \$0\.\d{4}\n/);
    // The results file alone says as much: `verdict stats` counts no request and the same savings.
    const stats = await runBin(['stats', 'second.jsonl', '--json'], { cwd: dir, env: env() });
    expect(JSON.parse(stats.stdout)).toMatchObject({ requests: 0, cost_usd: 0, cache: { hits: 20, saved_usd: secondSummary.cache!.saved_usd } });
  });

  it('sends all 20 again when one byte of the prompt changes', async () => {
    await grade('first.jsonl');
    const prompt = (await readFile(path.resolve('prompts/correctness.md'), 'utf8')).replace('You grade answers', 'You grade answerz');
    await writeFile(path.join(dir, 'changed.md'), prompt);
    emulator.resetStats();
    const changed = await runBin(['run', '-d', QA, '-p', 'changed.md', '-o', 'changed.jsonl', '--cache-dir', cacheDir, '--no-progress'], { cwd: dir, env: env(), timeoutMs: 30_000 });
    expect(changed.code).toBe(0);
    expect(emulator.stats().requests).toBe(20);
    expect(await entriesIn()).toHaveLength(40);
  });

  it('keeps one entry per sample under --repeat 3: 60 distinct entries, then no request', async () => {
    await grade('repeat.jsonl', ['--repeat', '3']);
    expect(emulator.stats().requests).toBe(60);
    expect(await entriesIn()).toHaveLength(60);
    emulator.resetStats();
    await grade('repeat-again.jsonl', ['--repeat', '3']);
    expect(emulator.stats().requests).toBe(0);
    const records = await readRecords(path.join(dir, 'repeat-again.jsonl'));
    expect(records.every((record) => record.cached === true && record.samples?.length === 3)).toBe(true);
  });

  it('sends every request under --no-cache, and neither reads nor writes the cache', async () => {
    await grade('first.jsonl');
    emulator.resetStats();
    await grade('nocache.jsonl', ['--no-cache']);
    expect(emulator.stats().requests).toBe(20);
    const records = await readRecords(path.join(dir, 'nocache.jsonl'));
    expect(records.some((record) => record.cached)).toBe(false);
    expect((await summaryOf('nocache.jsonl')).cache).toBeUndefined();
  });

  it('treats a truncated entry as a miss, sends that request again and replaces the entry', async () => {
    await grade('first.jsonl');
    const [victim] = await entriesIn();
    const file = path.join(cacheDir, ENTRIES_FOLDER, victim!);
    const whole = await readFile(file, 'utf8');
    await writeFile(file, whole.slice(0, Math.floor(whole.length / 2)));
    emulator.resetStats();
    await grade('second.jsonl');
    expect(emulator.stats().requests).toBe(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ format: 'verdict-cache/1', key: victim!.replace('.json', '') });
    const records = await readRecords(path.join(dir, 'second.jsonl'));
    expect(records.filter((record) => record.cached === true)).toHaveLength(19);
  });

  it('does not cache at a temperature above 0 unless --cache says so', async () => {
    const prompt = (await readFile(path.resolve('prompts/correctness.md'), 'utf8')).replace('temperature: 0', 'temperature: 0.7');
    await writeFile(path.join(dir, 'warm.md'), prompt);
    const warm = (out: string, extra: string[] = []) =>
      runBin(['run', '-d', QA, '-p', 'warm.md', '-o', out, '--cache-dir', cacheDir, '--no-progress', ...extra], { cwd: dir, env: env(), timeoutMs: 30_000 });
    await warm('a.jsonl');
    await warm('b.jsonl');
    expect(emulator.stats().requests).toBe(40);
    expect(await entriesIn()).toHaveLength(0);
    emulator.resetStats();
    await warm('c.jsonl', ['--cache']);
    await warm('d.jsonl', ['--cache']);
    expect(emulator.stats().requests).toBe(20);
    expect(await entriesIn()).toHaveLength(20);
  });

  it('lets two processes fill one cache at once without losing or corrupting an entry', async () => {
    const [a, b] = await Promise.all([grade('a.jsonl', ['--concurrency', '4']), grade('b.jsonl', ['--concurrency', '4'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const entries = await entriesIn();
    expect(entries).toHaveLength(20);
    for (const name of entries) {
      const entry = JSON.parse(await readFile(path.join(cacheDir, ENTRIES_FOLDER, name), 'utf8')) as { key: string };
      expect(entry.key).toBe(name.replace('.json', ''));
    }
    // No temporary file is left behind, and a third run is answered wholly from what the two wrote.
    expect((await readdir(path.join(cacheDir, ENTRIES_FOLDER))).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    emulator.resetStats();
    await grade('c.jsonl');
    expect(emulator.stats().requests).toBe(0);
  });

  it('stores only answers that read as a grade: never a refusal, a truncated answer or an error', async () => {
    emulator.setFaults([
      { kind: 'refusal', match: 'capital of Australia' },
      { kind: 'truncated', match: 'capital of Canada' },
      { kind: 'server_error', match: 'water boil' },
    ]);
    await grade('faulty.jsonl', ['--max-retries', '0', '--max-error-rate', '1']);
    expect(await entriesIn()).toHaveLength(17);
    emulator.setFaults([]);
    emulator.resetStats();
    await grade('healed.jsonl');
    expect(emulator.stats().requests).toBe(3);
    const records = await readRecords(path.join(dir, 'healed.jsonl'));
    expect(records.filter((record) => record.cached !== true).map((record) => record.id).sort()).toEqual(['boil-water', 'capital-au', 'capital-ca']);
  });

  it('answers a hit without the rate gate or the cost budget: a run wholly from the cache ignores --rpm 1 and a spent --max-cost', async () => {
    await grade('first.jsonl');
    emulator.resetStats();
    // One request a minute and a budget too small for one request: either would stop a run that sent anything.
    const { code } = await grade('paced.jsonl', ['--rpm', '1', '--max-cost', '0.000001', '--price', '1/1']);
    expect(code).toBe(0);
    expect(emulator.stats().requests).toBe(0);
    expect(await summaryOf('paced.jsonl')).toMatchObject({ status: 'complete', graded: 20, wait_s: 0, cost_usd: 0, cache: { hits: 20 } });
  });

  it('caches a reasoning model sent no temperature by default, and caches nothing where the environment names no cache home', async () => {
    await grade('r1.jsonl', ['-m', 'gpt-5-mini']);
    emulator.resetStats();
    await grade('r2.jsonl', ['-m', 'gpt-5-mini']);
    expect(emulator.stats().requests).toBe(0);
    emulator.resetStats();
    // No --cache-dir, no XDG_CACHE_HOME, no HOME: nowhere to cache, so every request goes out.
    for (const out of ['h1.jsonl', 'h2.jsonl']) {
      expect((await runBin(['run', '-d', QA, '-p', 'correctness', '-o', out], { cwd: dir, env: env(), timeoutMs: 30_000 })).code).toBe(0);
    }
    expect(emulator.stats().requests).toBe(40);
  });
});
