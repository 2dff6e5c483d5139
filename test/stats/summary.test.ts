import { describe, expect, it } from 'vitest';
import { histogramKey, Summary, SummaryAccumulator, type RunFacts } from '../../src/stats/summary.js';
import type { ResultRecord } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord } from '../results/helpers.js';

const run: RunFacts = {
  status: 'complete',
  rows: 10,
  requests: 12,
  retries: 2,
  rateLimited: 1,
  wallMs: 31_234,
  model: 'gpt-4o-mini',
  prompt: 'correctness',
};

function summarize(records: ResultRecord[], facts: Partial<RunFacts> = {}): Summary {
  const accumulator = new SummaryAccumulator();
  for (const record of records) accumulator.add(record);
  return accumulator.finish({ ...run, ...facts });
}

describe('SummaryAccumulator', () => {
  const graded = [
    makeRecord({ id: 'a', score: 2, pass: false }),
    makeRecord({ id: 'b', score: 3, pass: false }),
    makeRecord({ id: 'c', score: 4, pass: true }),
    makeRecord({ id: 'd', score: 4, pass: true }),
    makeRecord({ id: 'e', score: 5, pass: true }),
    makeRecord({ id: 'f', score: null, pass: null, label: 'n/a' }),
  ];
  const failed = [makeErrorRecord('g', 'timeout'), makeErrorRecord('h', 'timeout'), makeErrorRecord('i', 'rate_limited')];

  it('gives the mean and the t-based 95% interval computed by hand', () => {
    const summary = summarize([...graded, ...failed]);
    // scores 2 3 4 4 5: mean 3.6, sample variance 1.3, n = 5, t(0.975, df = 4) = 2.7764451
    const halfWidth = 2.7764451 * Math.sqrt(1.3 / 5); // 1.4157...
    expect(summary.mean).toBeCloseTo(3.6, 10);
    expect(summary.ci95?.[0]).toBeCloseTo(3.6 - halfWidth, 6);
    expect(summary.ci95?.[1]).toBeCloseTo(3.6 + halfWidth, 6);
    expect(summary.ci95?.[0]).toBeCloseTo(2.18430, 4);
  });

  it('counts rows, graded rows, errors by code and the pass rate over rows with a pass verdict', () => {
    const summary = summarize([...graded, ...failed]);
    expect(summary.rows).toBe(10);
    expect(summary.graded).toBe(6);
    expect(summary.errors).toEqual({ rate_limited: 1, timeout: 2 });
    expect(summary.pass_rate).toBeCloseTo(3 / 5, 12);
  });

  it('builds the score histogram with integer keys and non-integer scores rounded to two decimals', () => {
    const summary = summarize([
      ...graded,
      makeRecord({ score: 11 / 3 }),
      makeRecord({ score: 3.666 }),
      makeRecord({ score: 2.5 }),
    ]);
    expect(summary.histogram).toEqual({ '2': 1, '2.5': 1, '3': 1, '3.67': 2, '4': 2, '5': 1 });
    expect(histogramKey(4)).toBe('4');
    expect(histogramKey(3.999)).toBe('4');
    expect(histogramKey(0.125)).toBe('0.13');
  });

  it('adds up usage of every record, errors included, and prices it per judge model', () => {
    const summary = summarize([
      makeRecord({ usage: { prompt_tokens: 1_000_000, completion_tokens: 100_000, cached_tokens: 200_000 } }),
      makeRecord({
        judge: { model: 'gpt-4o-mini-2024-07-18', prompt: 'correctness', prompt_sha: 'x' },
        usage: { prompt_tokens: 500_000, completion_tokens: 0, cached_tokens: 0 },
      }),
      { ...makeErrorRecord('e', 'timeout'), usage: { prompt_tokens: 10, completion_tokens: 0, cached_tokens: 0 } },
    ]);
    expect(summary.usage).toEqual({ prompt_tokens: 1_500_010, completion_tokens: 100_000, cached_tokens: 200_000, reasoning_tokens: 0 });
    // gpt-4o-mini: 0.15 per 1M input, 0.075 per 1M cached, 0.60 per 1M output
    const expected = (800_010 * 0.15 + 200_000 * 0.075 + 100_000 * 0.6 + 500_000 * 0.15) / 1e6;
    expect(summary.cost_usd).toBeCloseTo(expected, 10);
  });

  it('has no cost when any judge model has no known price', () => {
    const summary = summarize([
      makeRecord(),
      makeRecord({ judge: { model: 'llama-3-70b', prompt: 'p', prompt_sha: 'x' } }),
    ]);
    expect(summary.cost_usd).toBeNull();
    expect(summarize([], { model: 'llama-3-70b' }).cost_usd).toBeNull();
    expect(summarize([], { model: 'gpt-4o' }).cost_usd).toBe(0);
  });

  it('reports no mean, interval or pass rate when nothing was graded', () => {
    const summary = summarize([makeErrorRecord('a', 'server_error')], { status: 'failed' });
    expect(summary).toMatchObject({ graded: 0, mean: null, ci95: null, pass_rate: null, histogram: {} });
    expect(summary.status).toBe('failed');
  });

  it('gives a mean but no interval for a single score', () => {
    const summary = summarize([makeRecord({ score: 4 })]);
    expect(summary.mean).toBe(4);
    expect(summary.ci95).toBeNull();
  });

  it('counts pairwise verdicts only in pairwise runs', () => {
    const pairwise = summarize([
      makeRecord({ score: null, pass: null, verdict: 'A' }),
      makeRecord({ score: null, pass: null, verdict: 'B' }),
      makeRecord({ score: null, pass: null, verdict: 'B' }),
      makeRecord({ score: null, pass: null, verdict: 'tie' }),
    ]);
    // None of these was judged in both orders, so there is no flip rate to report.
    expect(pairwise.pairwise).toMatchObject({ a: 1, b: 2, tie: 1, swapped: 0, flip_rate: null });
    expect(summarize(graded)).not.toHaveProperty('pairwise');
  });

  it('reports the flip rate over the pairs judged in both orders', () => {
    const pairwise = summarize([
      makeRecord({ score: null, pass: null, verdict: 'A', flipped: false }),
      makeRecord({ score: null, pass: null, verdict: 'tie', flipped: true }),
      makeRecord({ score: null, pass: null, verdict: 'B', flipped: false }),
      makeRecord({ score: null, pass: null, verdict: 'B', flipped: false }),
      makeRecord({ score: null, pass: null, verdict: 'tie', flipped: null }),
    ]);
    expect(pairwise.pairwise).toMatchObject({ a: 1, b: 2, tie: 2, swapped: 4, flip_rate: 0.25 });
  });

  it('summarises each criterion, the labels of a classify run and the scoring methods', () => {
    const summary = summarize([
      makeRecord({ score: 3, criteria: { fluency: 2, relevance: 4 }, label: 'good', scoring: 'answer' }),
      makeRecord({ score: 4, criteria: { fluency: 4, relevance: 4 }, label: 'good', scoring: 'logprobs' }),
      makeRecord({ score: 2, criteria: { fluency: 3, relevance: 1 }, label: 'bad', scoring: 'logprobs' }),
    ]);
    expect(summary.criteria?.fluency).toMatchObject({ n: 3, mean: 3 });
    expect(summary.criteria?.relevance?.mean).toBeCloseTo(3, 10);
    // t(0.975, 2) = 4.302653; sd of 2,4,3 is 1, so the half-width is 4.302653 / sqrt(3).
    expect(summary.criteria?.fluency?.ci95?.[1]).toBeCloseTo(3 + 4.302653 / Math.sqrt(3), 5);
    expect(summary.labels).toEqual({ bad: 1, good: 2 });
    expect(summary.scoring).toEqual({ answer: 1, logprobs: 2 });
  });

  it('reports how stable a repeated judge was', () => {
    let repeat = 0;
    const sample = (score: number) => ({ repeat: (repeat++ % 3) + 1, order: null, score, pass: null, verdict: null, label: null, criteria: null, reasoning: null });
    const summary = summarize([
      makeRecord({ score: 4, samples: [sample(4), sample(4), sample(4)], agreement: 1 }),
      makeRecord({ score: 3, samples: [sample(2), sample(3), sample(4)], agreement: 1 / 3 }),
      makeRecord({ score: 5 }),
    ]);
    expect(summary.stability?.rows).toBe(2);
    expect(summary.stability?.samples).toBe(6);
    expect(summary.stability?.agreement).toBeCloseTo(2 / 3, 10);
    expect(summary.stability?.unanimous_rate).toBe(0.5);
    // Within-row sds are 0 and 1.
    expect(summary.stability?.score_sd).toBeCloseTo(0.5, 10);
    expect(summarize([makeRecord({ score: 5 })])).not.toHaveProperty('stability');
  });

  it('produces JSON that the Summary schema accepts, with the run facts and the SPEC keys', () => {
    const summary = summarize([...graded, ...failed]);
    const parsed = Summary.parse(JSON.parse(JSON.stringify(summary)));
    expect(parsed).toEqual(summary);
    expect(summary).toMatchObject({
      status: 'complete',
      model: 'gpt-4o-mini',
      prompt: 'correctness',
      requests: 12,
      retries: 2,
      rate_limited: 1,
      wall_s: 31.234,
    });
    expect(Object.keys(summary)).toEqual(
      expect.arrayContaining(['rows', 'graded', 'errors', 'mean', 'ci95', 'pass_rate', 'histogram', 'usage', 'cost_usd']),
    );
  });
});
