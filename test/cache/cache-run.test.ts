import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { PACKS_FOLDER } from '../../src/cache/pack-index.js';
import type { ResultRecord } from '../../src/results/record.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';
import { entriesIn as entriesOf, packsIn } from './packs.js';

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

const entriesIn = () => entriesOf(cacheDir);
const packPath = (name: string) => path.join(cacheDir, PACKS_FOLDER, name);
const summaryOf = async (out: string) => JSON.parse(await readFile(path.join(dir, `${out}.summary.json`), 'utf8')) as Record<string, unknown> & { cache?: { hits: number; saved_usd: number | null } };
const byId = (records: ResultRecord[]) => [...records].sort((a, b) => a.id.localeCompare(b.id));
const withoutRunFields = ({ cached: _cached, latency_ms: _latency, wait_ms: _wait, ...rest }: ResultRecord) => rest;

describe('the response cache (spawned, against the emulator)', () => {
  it('grades qa.jsonl twice: 20 requests, then 0, with the same records apart from cached and latency_ms', async () => {
    expect((await grade('first.jsonl')).code).toBe(0);
    expect(emulator.stats().requests).toBe(20);
    // One pack of 20 lines, not 20 files.
    expect(await packsIn(cacheDir)).toHaveLength(1);
    expect(await entriesIn()).toHaveLength(20);
    emulator.resetStats();

    const second = await grade('second.jsonl');
    expect(second.code).toBe(0);
    expect(emulator.stats().requests).toBe(0);
    // A run with no miss writes no pack.
    expect(await packsIn(cacheDir)).toHaveLength(1);
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
    expect(await packsIn(cacheDir)).toHaveLength(2);
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

  it('serves the whole entries of a pack cut mid-line by a crash, and sends the cut one again into a new pack that the next run reads', async () => {
    await grade('first.jsonl');
    const [pack] = await packsIn(cacheDir);
    const whole = await readFile(packPath(pack!), 'utf8');
    const lastLine = whole.slice(whole.lastIndexOf('\n', whole.length - 2) + 1);
    const victim = (JSON.parse(lastLine) as { key: string }).key;
    await writeFile(packPath(pack!), whole.slice(0, whole.length - Math.floor(lastLine.length / 2)));
    emulator.resetStats();
    await grade('second.jsonl');
    expect(emulator.stats().requests).toBe(1);
    const records = await readRecords(path.join(dir, 'second.jsonl'));
    expect(records.filter((record) => record.cached === true)).toHaveLength(19);
    // The answer sent again went to this run's own pack; the cut pack is left as it was.
    const packs = await packsIn(cacheDir);
    expect(packs).toHaveLength(2);
    expect((await entriesIn()).filter((entry) => entry.pack === packs[1]).map((entry) => entry.key)).toEqual([victim]);
    emulator.resetStats();
    await grade('third.jsonl');
    expect(emulator.stats().requests).toBe(0);
  });

  it("reads a later pack's entry over an earlier one's, and sends again a key whose latest entry does not read as an answer", async () => {
    await grade('first.jsonl');
    const [pack] = await packsIn(cacheDir);
    const lines = (await readFile(packPath(pack!), 'utf8')).split('\n').slice(0, -1);
    const [changed, broken] = lines.map((line) => JSON.parse(line) as { key: string; completion: { choices: { message: { content: string } }[] } });
    const answer = JSON.parse(changed!.completion.choices[0]!.message.content) as { reasoning: string; score: number };
    const otherScore = answer.score === 1 ? 2 : 1;
    changed!.completion.choices[0]!.message.content = JSON.stringify({ reasoning: 'from the later pack', score: otherScore });
    // A later pack (named, as verdict names them, by when it was made) with a changed answer and one that is no answer at all.
    const later = [JSON.stringify(changed), JSON.stringify({ ...broken, completion: { choices: [] } })].join('\n');
    await writeFile(packPath(`${new Date().toISOString().replace(/[-:.]/g, '')}-1-later.jsonl`), `${later}\n`);
    emulator.resetStats();
    await grade('second.jsonl');
    expect(emulator.stats().requests).toBe(1);
    const second = await readRecords(path.join(dir, 'second.jsonl'));
    expect(second.filter((record) => record.reasoning === 'from the later pack')).toEqual([expect.objectContaining({ cached: true, score: otherScore })]);
    expect(second.filter((record) => record.cached === true)).toHaveLength(19);
    emulator.resetStats();
    await grade('third.jsonl');
    expect(emulator.stats().requests).toBe(0);
  });

  it('does not cache at a temperature above 0 unless --cache says so', async () => {
    const prompt = (await readFile(path.resolve('prompts/correctness.md'), 'utf8')).replace('temperature: 0', 'temperature: 0.7');
    await writeFile(path.join(dir, 'warm.md'), prompt);
    const warm = (out: string, extra: string[] = []) =>
      runBin(['run', '-d', QA, '-p', 'warm.md', '-o', out, '--cache-dir', cacheDir, '--no-progress', ...extra], { cwd: dir, env: env(), timeoutMs: 30_000 });
    await warm('a.jsonl');
    await warm('b.jsonl');
    expect(emulator.stats().requests).toBe(40);
    expect(await packsIn(cacheDir)).toEqual([]);
    emulator.resetStats();
    await warm('c.jsonl', ['--cache']);
    await warm('d.jsonl', ['--cache']);
    expect(emulator.stats().requests).toBe(20);
    expect(await entriesIn()).toHaveLength(20);
  });

  it('lets two processes fill one cache at once without losing or corrupting an entry: each writes its own pack', async () => {
    // Two judges' models, so that each process has answers to keep however their starts fall: with
    // the same requests, one started late would find the other's pack whole and write none.
    const [a, b] = await Promise.all([grade('a.jsonl', ['--concurrency', '4']), grade('b.jsonl', ['--concurrency', '4', '-m', 'gpt-4.1-mini'])]);
    expect([a.code, b.code]).toEqual([0, 0]);
    // Each kept every answer it was sent, whole, in a pack of its own: together, all 40 keys, and no line lost.
    const packs = await packsIn(cacheDir);
    expect(packs).toHaveLength(2);
    const entries = await entriesIn();
    expect(entries).toHaveLength(emulator.stats().requests);
    expect(new Set(entries.map((entry) => entry.key)).size).toBe(40);
    for (const pack of packs) {
      const keys = entries.filter((entry) => entry.pack === pack).map((entry) => entry.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect((await readFile(packPath(pack), 'utf8')).endsWith('}\n')).toBe(true);
    }
    // Later runs of either are answered wholly from what the two wrote.
    emulator.resetStats();
    await grade('c.jsonl');
    await grade('d.jsonl', ['-m', 'gpt-4.1-mini']);
    expect(emulator.stats().requests).toBe(0);
  });

  it('says once that the cache cannot be written and grades every row all the same', async () => {
    await writeFile(cacheDir, 'a file where the cache directory should be');
    const result = await grade('unwritable.jsonl');
    expect(result.code).toBe(0);
    expect(emulator.stats().requests).toBe(20);
    expect(result.stderr.split('could not write to the response cache')).toHaveLength(2);
    expect(await readRecords(path.join(dir, 'unwritable.jsonl'))).toHaveLength(20);
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
