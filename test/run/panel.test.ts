/**
 * Issue 17 item 1: a panel of three judges, each its own emulator with its own seed and its own key.
 * Every row goes to every judge; a judge that fails on a row leaves it to the others and the record
 * says so.
 */
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import * as z from 'zod';
import { RunOptions } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { majorityVerdict } from '../../src/judge/modes/pairwise.js';
import { median } from '../../src/judge/panel-aggregate.js';
import { costAt, modelPrice } from '../../src/pricing/prices.js';
import { requestsOf, retriesOf, type ResultRecord } from '../../src/results/record.js';
import { readResults } from '../../src/results/read-results.js';
import { runEval } from '../../src/run/run-eval.js';
import { buildReport } from '../../src/report/html/build-report.js';
import { computeStats } from '../../src/stats/run-stats.js';
import { mergeWithSummary } from '../../src/stats/merge-summary.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { entriesIn, packsIn } from '../cache/packs.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';

const KEYS = { JUDGE_B_KEY: 'judge-b-key-0123456789-DONOTLEAK', JUDGE_C_KEY: 'judge-c-key-0123456789-DONOTLEAK' };
// Each emulator takes only its own judge's key: a key sent to the wrong server is a 401 there.
const a = useEmulator({ seed: 1, apiKey: TEST_KEY });
const b = useEmulator({ seed: 2, apiKey: KEYS.JUDGE_B_KEY });
const c = useEmulator({ seed: 3, apiKey: KEYS.JUDGE_C_KEY });
const emulators = [a, b, c];

let dir: string;
let dataset: string;
let out: string;
beforeEach(async () => {
  dir = await tempDir();
  dataset = await qaDataset(10, dir);
  out = path.join(dir, 'results.jsonl');
});

const panel = (models = ['judge-a', 'judge-b', 'judge-c']) => [`${models[0]}@${a.url}`, `${models[1]}@${b.url},key=JUDGE_B_KEY`, `${models[2]}@${c.url},key=JUDGE_C_KEY`];

async function run(options: Partial<z.input<typeof RunOptions>> = {}, keys: Record<string, string> = KEYS) {
  const result = await runEval(RunOptions.parse({ dataset, prompt: 'correctness', out: [out], judges: panel(), maxErrorRate: 1, ...options }), {
    apiKey: TEST_KEY,
    keyIn: (name) => keys[name],
    backoff: { baseMs: 1, capMs: 5 },
  });
  if (result.kind !== 'run') throw new Error('expected a run');
  return { result, records: out.endsWith('.csv') ? await readCsvRecords(out) : await readRecords(out) };
}

async function readCsvRecords(file: string): Promise<ResultRecord[]> {
  const records: ResultRecord[] = [];
  for await (const record of readResults(file)) records.push(record);
  return records;
}

const scoresOf = (record: ResultRecord) => record.votes!.flatMap((vote) => (vote.score === null ? [] : [vote.score]));
const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

describe('a panel of three judges', () => {
  it('sends every row to every judge, each with its own key, and keeps every vote in the order the judges were named', async () => {
    const { result, records } = await run();
    for (const emulator of emulators) {
      expect(emulator.stats().requests).toBe(10);
      expect(emulator.stats().outcomes).toEqual({ ok: 10 });
    }
    expect(records).toHaveLength(10);
    for (const record of records) {
      expect(record.judge.model).toBe('judge-a,judge-b,judge-c');
      expect(record.votes!.map((vote) => vote.judge)).toEqual(['judge-a', 'judge-b', 'judge-c']);
      expect(record.error).toBeNull();
      // The default for a score prompt: the mean; pass from it and the prompt's pass mark (4).
      expect(record.score).toBeCloseTo(mean(scoresOf(record)), 10);
      expect(record.pass).toBe(record.score! >= 4);
      expect(record.attempts).toBe(3);
      expect(record.usage.prompt_tokens).toBe(record.votes!.reduce((sum, vote) => sum + vote.usage.prompt_tokens, 0));
    }
    // Different seeds, different judges: the panel is not three copies of one answer.
    expect(records.some((record) => new Set(scoresOf(record)).size > 1)).toBe(true);
    expect(result.summary).toMatchObject({ model: 'judge-a,judge-b,judge-c', graded: 10, requests: 30 });
  });

  it('leaves a row one judge failed on to the other two, and the record says which judge failed and why', async () => {
    b.setFaults([
      { kind: 'server_error', match: 'Question number 3?' },
      { kind: 'server_error', match: 'Question number 7?' },
    ]);
    c.setFaults([{ kind: 'malformed', match: 'Question number 5?' }]);
    const { result, records } = await run({ maxRetries: 0 });
    const byId = new Map(records.map((record) => [record.id, record]));
    for (const id of ['q3', 'q7']) {
      const record = byId.get(id)!;
      expect(record.error).toBeNull();
      expect(record.votes![1]).toMatchObject({ judge: 'judge-b', score: null, error: { code: 'server_error' } });
      expect(record.score).toBeCloseTo(mean([record.votes![0]!.score!, record.votes![2]!.score!]), 10);
    }
    // An answer that cannot be read is asked again once, then the judge's vote is an error.
    expect(byId.get('q5')!.votes![2]).toMatchObject({ judge: 'judge-c', error: { code: 'unparseable_answer' }, attempts: 2 });
    expect(byId.get('q5')!.error).toBeNull();
    expect(records.filter((record) => record.votes!.every((vote) => vote.error === null))).toHaveLength(7);
    expect(result.summary.graded).toBe(10);
    // Every judge was asked every row, the failed ones included.
    expect([a, b, c].map((emulator) => emulator.stats().requests)).toEqual([10, 10, 11]);
  });

  it('ends a row in error only when every judge failed on it, with each judge\'s message', async () => {
    for (const emulator of emulators) emulator.setFaults([{ kind: 'server_error', match: 'Question number 4?' }]);
    const { records } = await run({ maxRetries: 0 });
    const failed = records.find((record) => record.id === 'q4')!;
    expect(failed.error?.code).toBe('server_error');
    expect(failed.error?.message).toMatch(/^every judge failed: judge-a: .+; judge-b: .+; judge-c: .+$/);
    expect(failed.score).toBeNull();
    expect(failed.votes!.every((vote) => vote.error !== null)).toBe(true);
  });

  it("keeps the panel's --aggregate for whoever rebuilds its summary later: verdict stats, merge and report", async () => {
    await run({ aggregate: 'median' });
    const stats = await computeStats({ files: [out], bootstrap: { resamples: 0, seed: 1 } });
    expect(stats.summary.panel?.aggregate).toBe('median');
    const merged = await mergeWithSummary([out], [path.join(dir, 'merged.jsonl')], { force: false });
    expect(merged.summary.panel?.aggregate).toBe('median');
    const { data } = await buildReport([{ file: out }]);
    expect(data.runs[0]!.summary.panel?.aggregate).toBe('median');
  });

  it.each([
    ['median', (scores: number[]) => median(scores)],
    ['mean', (scores: number[]) => mean(scores)],
  ] as const)('takes --aggregate %s', async (aggregate, expected) => {
    const { records } = await run({ aggregate });
    for (const record of records) expect(record.score).toBeCloseTo(expected(scoresOf(record))!, 10);
  });

  // That the key itself is scrubbed from the message is the command line's redactor's part: test/cli/panel-bin.test.ts.
  it('decides a pairwise row by the majority of the judges\' verdicts, each judge having judged both orders', async () => {
    const { result, records } = await run({ prompt: 'pairwise', pair: 'output,reference' });
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([20, 20, 20]);
    for (const record of records) {
      expect(record.verdict).toBe(majorityVerdict(record.votes!.map((vote) => vote.verdict!)));
      expect(record.votes!.every((vote) => vote.samples?.map((sample) => sample.order).join() === 'AB,BA')).toBe(true);
      expect(retriesOf(record)).toBe(0);
    }
    // Each judge's position bias is its own: the share of its pairs whose verdict changed with the order.
    const flipRates = [0, 1, 2].map((i) => records.filter((record) => new Set(record.votes![i]!.samples!.map((sample) => sample.verdict)).size > 1).length / records.length);
    expect(result.summary.panel!.judges.map((judge) => judge.pairwise?.flip_rate)).toEqual(flipRates);
    // The panel's own figures pool its judges' judgements: every pair each judge saw both ways, every decided answer.
    const pairs = 3 * records.length;
    expect(result.summary.pairwise!.swapped).toBe(pairs);
    expect(result.summary.pairwise!.flip_rate).toBeCloseTo(flipRates.reduce((sum, rate) => sum + rate * records.length, 0) / pairs, 10);
    const decided = records.flatMap((record) => record.votes!.flatMap((vote) => vote.samples!)).filter((sample) => sample.verdict === 'A' || sample.verdict === 'B');
    expect(result.summary.pairwise!.first_shown_wins_n).toBe(decided.length);
  });

  it('stops the run on a judge\'s fatal answer (a bad key), naming the judge', async () => {
    const { result } = await run({}, { ...KEYS, JUDGE_C_KEY: 'a-wrong-key-for-judge-c-DONOTLEAK' });
    expect(result.exitCode).toBe(3);
    expect(result.stop?.code).toBe('auth_error');
    expect(result.stop?.message).toMatch(/^judge judge-c: /);
    expect(result.summary.status).toBe('failed');
  });

  it('refuses an unset key variable, naming the judge and the variable, before any request', async () => {
    const refused = run({}, { JUDGE_B_KEY: KEYS.JUDGE_B_KEY });
    await expect(refused).rejects.toThrow(UsageError);
    await expect(refused).rejects.toThrow(/JUDGE_C_KEY is not set: judge judge-c reads its API key from it/);
    for (const emulator of emulators) expect(emulator.stats().requests).toBe(0);
  });

  it('prices each judge\'s tokens by its own model', async () => {
    const models = ['gpt-4o-mini', 'gpt-4.1-nano', 'gpt-5-nano'];
    const { result, records } = await run({ judges: panel(models) });
    const expected = models.reduce((sum, model, i) => {
      const usage = { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 };
      for (const record of records) {
        const vote = record.votes![i]!;
        usage.prompt_tokens += vote.usage.prompt_tokens;
        usage.completion_tokens += vote.usage.completion_tokens;
      }
      return sum + costAt(modelPrice(model)!, usage);
    }, 0);
    expect(result.summary.cost_usd).toBeCloseTo(expected, 12);
  });
});

describe('the response cache with a panel', () => {
  it("answers a second run from each judge's cached answers, counted as saved, each at its judge's price", async () => {
    const models = ['gpt-4o-mini', 'gpt-4.1-nano', 'gpt-4.1-mini'];
    const cacheDir = path.join(dir, 'cache');
    await run({ judges: panel(models), cacheDir });
    // The three judges share the run's one store: one pack holds the 30 answers.
    expect(await packsIn(cacheDir)).toHaveLength(1);
    expect(new Set((await entriesIn(cacheDir)).map((entry) => entry.key)).size).toBe(30);
    for (const emulator of emulators) emulator.resetStats();
    const { result, records } = await run({ judges: panel(models), cacheDir, force: true });
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([0, 0, 0]);
    expect(records.every((record) => record.cached === true && record.votes!.every((vote) => vote.cached === true))).toBe(true);
    expect(result.summary.requests).toBe(0);
    expect(result.summary.cost_usd).toBe(0);
    const saved = models.reduce((sum, model, i) => {
      const usage = { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 };
      for (const record of records) {
        usage.prompt_tokens += record.votes![i]!.usage.prompt_tokens;
        usage.completion_tokens += record.votes![i]!.usage.completion_tokens;
      }
      return sum + costAt(modelPrice(model)!, usage);
    }, 0);
    expect(result.summary.cache).toEqual({ hits: 30, saved_usd: expect.closeTo(saved, 12) });
  });
});

describe('two judges of one model at two servers', () => {
  it('are named model@url, and each keeps its own server\'s answers in the cache', async () => {
    const cacheDir = path.join(dir, 'cache');
    const judges = [`judge-m@${a.url}`, `judge-m@${b.url},key=JUDGE_B_KEY`];
    const first = await run({ judges, cacheDir });
    expect(first.records[0]!.votes!.map((vote) => vote.judge)).toEqual([`judge-m@${a.url}`, `judge-m@${b.url}`]);
    expect(first.records[0]!.judge.model).toBe(`judge-m@${a.url},judge-m@${b.url}`);
    for (const emulator of emulators) emulator.resetStats();
    const again = await run({ judges, cacheDir, force: true });
    expect(requestsOf(again.records[0]!)).toBe(0);
    expect([a, b].map((emulator) => emulator.stats().requests)).toEqual([0, 0]);
    // Each server's own answers came back: the seeds differ, and so do the two judges' scores somewhere.
    const scores = (records: ResultRecord[]) => new Map(records.map((record) => [record.id, record.votes!.map((vote) => vote.score)]));
    expect(scores(again.records)).toEqual(scores(first.records));
    expect(first.records.some((record) => record.votes![0]!.score !== record.votes![1]!.score)).toBe(true);
  });
});

describe('--max-cost with a panel', () => {
  it("holds each judge's worst case at its own model's price, against the one budget", async () => {
    // Worst cases of a row (400 answer tokens): about $0.00027 (gpt-4o-mini), $0.00018 (gpt-4.1-nano) and
    // $0.00073 (gpt-4.1-mini), $0.0012 together: over $0.001, though three at gpt-4o-mini's price would fit.
    const { result, records } = await run({ judges: panel(['gpt-4o-mini', 'gpt-4.1-nano', 'gpt-4.1-mini']), maxCost: 0.001, concurrency: 1 });
    expect(result.summary.status).toBe('failed');
    expect(records).toHaveLength(0);
    expect(result.summary.cost_usd!).toBeLessThanOrEqual(0.001);
  });
});

describe('--resume of a panel', () => {
  it('refuses a changed panel or aggregate as it refuses a changed model, and continues the same panel', async () => {
    b.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    for (const emulator of emulators) emulator.setFaults([{ kind: 'server_error', match: 'Question number 9?' }]);
    await run({ maxRetries: 0 });
    await expect(run({ resume: true, judges: panel().slice(0, 2) })).rejects.toThrow(/model: judge-a,judge-b,judge-c → judge-a,judge-b/);
    await expect(run({ resume: true, aggregate: 'median' })).rejects.toThrow(/aggregate: mean → median/);
    for (const emulator of emulators) {
      emulator.setFaults([]);
      emulator.resetStats();
    }
    const { records } = await run({ resume: true });
    // Only q9, which every judge failed, is graded again: q2 was decided by the other two.
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([1, 1, 1]);
    expect(records.filter((record) => record.error !== null)).toHaveLength(0);
  });

  it.each(['jsonl', 'csv'])('grades a row a judge failed on again under --retry-errors, and no other (%s)', async (format) => {
    out = path.join(dir, `results.${format}`);
    b.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    await run({ maxRetries: 0, out: [out] });
    b.setFaults([]);
    for (const emulator of emulators) emulator.resetStats();
    const { records } = await run({ retryErrors: true, out: [out] });
    // The whole panel grades q2 again (a judge's earlier vote is not merged into a new record).
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([1, 1, 1]);
    expect(records).toHaveLength(10);
    expect(records.find((record) => record.id === 'q2')!.votes!.every((vote) => vote.error === null)).toBe(true);
    // --resume takes such a row as graded: the other judges decided it.
    for (const emulator of emulators) emulator.resetStats();
    await run({ resume: true, out: [out] });
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([0, 0, 0]);
  });
  it('asks only the judge that failed when the response cache holds the others\' answers', async () => {
    const cacheDir = path.join(dir, 'cache');
    b.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    await run({ maxRetries: 0, cacheDir });
    b.setFaults([]);
    for (const emulator of emulators) emulator.resetStats();
    const { records } = await run({ retryErrors: true, cacheDir });
    expect(emulators.map((emulator) => emulator.stats().requests)).toEqual([0, 1, 0]);
    expect(records.find((record) => record.id === 'q2')!.votes!.map((vote) => vote.cached === true)).toEqual([true, false, true]);
  });
});
