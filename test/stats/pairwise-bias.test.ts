import { describe, expect, it } from 'vitest';
import { PairwiseBiasCounter } from '../../src/stats/pairwise-bias.js';
import { SummaryAccumulator } from '../../src/stats/summary.js';
import type { ResultRecord, Sample } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord } from '../results/helpers.js';

const sample = (order: 'AB' | 'BA', verdict: string, repeat = 1): Sample => ({ repeat, order, verdict, score: null, pass: null, label: null, criteria: null, reasoning: null });

/** A pairwise record: its answers, its combined verdict and (judged both ways) its samples, verdicts in the dataset's terms. */
function pair(id: string, a: string, b: string, verdict: string, samples: Sample[] | null = null): ResultRecord {
  return makeRecord({ id, score: null, pass: null, scoring: null, verdict, samples, flipped: samples ? samples[0]!.verdict !== samples[1]?.verdict : null, row: { output_a: a, output_b: b } });
}

const LONG = 'a much longer answer';
const SHORT = 'short';

/**
 * Hand-counted: every judgement below, its order, its verdict (dataset terms), and whether the
 * longer answer and the first-shown answer won it.
 *   r1 AB A (A longer): longer yes, first yes;  BA A: longer yes, first no
 *   r2 AB B (B longer): longer yes, first no;   BA A: longer no,  first no  (each order chose the second shown)
 *   r3 AB A (equal lengths): not in longer;     BA B: not in longer; first: yes, yes
 *   r4 AB tie, BA tie: nothing decided
 *   r5 one judgement (no swap), A, B longer: longer no, first yes
 *   r6 an error: nothing
 * Decided: r1 2, r2 2, r3 2, r5 1 = 7; first-shown wins: r1 1, r2 0, r3 2, r5 1 = 4.
 * With lengths that differ: r1 2, r2 2, r5 1 = 5; longer wins: r1 2, r2 1, r5 0 = 3.
 */
const RECORDS = [
  pair('r1', LONG, SHORT, 'A', [sample('AB', 'A'), sample('BA', 'A')]),
  pair('r2', SHORT, LONG, 'tie', [sample('AB', 'B'), sample('BA', 'A')]),
  pair('r3', 'same1', 'same2', 'tie', [sample('AB', 'A'), sample('BA', 'B')]),
  pair('r4', LONG, SHORT, 'tie', [sample('AB', 'tie'), sample('BA', 'tie')]),
  pair('r5', SHORT, LONG, 'A'),
  { ...makeErrorRecord('r6', 'timeout'), row: { output_a: LONG, output_b: SHORT } },
];

describe('pairwise bias figures', () => {
  it('count the longer answer and the first-shown answer over decided judgements, each order apart', () => {
    const counter = new PairwiseBiasCounter();
    for (const record of RECORDS) counter.add(record);
    expect(counter.figures()).toEqual({ longer_wins: 3 / 5, longer_wins_n: 5, first_shown_wins: 4 / 7, first_shown_wins_n: 7 });
  });

  it('count each repeat of each order', () => {
    const counter = new PairwiseBiasCounter();
    counter.add(pair('x', LONG, SHORT, 'A', [sample('AB', 'A', 1), sample('BA', 'B', 1), sample('AB', 'A', 2), sample('BA', 'A', 2)]));
    // Judgements: AB A (first, longer), BA B (first, shorter), AB A (first, longer), BA A (second, longer).
    expect(counter.figures()).toEqual({ longer_wins: 3 / 4, longer_wins_n: 4, first_shown_wins: 3 / 4, first_shown_wins_n: 4 });
  });

  it('count length in characters (code points), and read the answers where the pair says', () => {
    const counter = new PairwiseBiasCounter({ a: 'answers.0', b: 'answers.1' });
    // Four emoji (8 UTF-16 units) against five letters: the letters are longer.
    counter.add(makeRecord({ id: 'e', score: null, pass: null, scoring: null, verdict: 'B', row: { answers: ['😀😀😀😀', 'abcde'] } }));
    expect(counter.figures()).toMatchObject({ longer_wins: 1, longer_wins_n: 1 });
  });

  it('leave a pair out of the length figure when an answer is not text, and give null shares with nothing decided', () => {
    const counter = new PairwiseBiasCounter();
    counter.add(makeRecord({ id: 'n', score: null, pass: null, scoring: null, verdict: 'A', row: { output_a: 42, output_b: 'text' } }));
    expect(counter.figures()).toEqual({ longer_wins: null, longer_wins_n: 0, first_shown_wins: 1, first_shown_wins_n: 1 });
    expect(new PairwiseBiasCounter().figures()).toEqual({ longer_wins: null, longer_wins_n: 0, first_shown_wins: null, first_shown_wins_n: 0 });
  });

  it('appear in the summary under pairwise, beside the flip rate', () => {
    const accumulator = new SummaryAccumulator();
    for (const record of RECORDS) accumulator.add(record);
    const summary = accumulator.finish({ status: 'complete', rows: 6, requests: 0, retries: 0, rateLimited: 0, wallMs: 0, model: 'm', prompt: 'p' });
    expect(summary.pairwise).toMatchObject({ swapped: 4, flip_rate: 2 / 4, longer_wins: 3 / 5, longer_wins_n: 5, first_shown_wins: 4 / 7, first_shown_wins_n: 7 });
  });
});
