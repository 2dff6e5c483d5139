import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { eloRatings, expectedScore, unlinkedToBaseline, winMatrix, type Battle } from '../../src/stats/bradley-terry.js';
import { bootstrapIntervals } from '../../src/stats/bootstrap.js';

interface Case {
  name: string;
  systems: number;
  baseline: number;
  battles: [number, number, number][];
  elo: number[];
}
// Written by test/fixtures/rank/make-fixtures.py with scikit-learn's LogisticRegression, fitted as Arena-Hard-Auto fits.
const REFERENCE: {
  bradley_terry: Case[];
  bootstrap: Case & { resamples: number; seed: number; intervals: [number, number][] };
} = JSON.parse(readFileSync(new URL('../fixtures/rank/reference.json', import.meta.url), 'utf8'));

const battlesOf = (rows: [number, number, number][]): Battle[] => rows.map(([a, b, score]) => ({ a, b, score }));

describe('Bradley-Terry ratings', () => {
  it.each(REFERENCE.bradley_terry.map((c) => [c.name, c] as const))('equal a scikit-learn logistic regression on the same battles (%s) to 1e-6', (_name, c) => {
    const ratings = eloRatings(winMatrix(battlesOf(c.battles), c.systems), c.baseline)!;
    ratings.forEach((rating, i) => expect(Math.abs(rating - c.elo[i]!)).toBeLessThan(1e-6));
  });

  it('for two systems give the closed form: 400 log10 of the win odds, ties as half', () => {
    // 7 wins, 2 ties, 3 losses: 8 of 12 for the first.
    const battles: Battle[] = [...Array(7).fill({ a: 0, b: 1, score: 1 }), ...Array(2).fill({ a: 1, b: 0, score: 0.5 }), ...Array(3).fill({ a: 1, b: 0, score: 1 })];
    const ratings = eloRatings(winMatrix(battles, 2), 1)!;
    expect(ratings[1]).toBe(1000);
    expect(ratings[0]).toBeCloseTo(1000 + 400 * Math.log10(8 / 4), 9);
    expect(expectedScore(ratings[0]!, ratings[1]!)).toBeCloseTo(8 / 12, 9);
  });

  it('are unbounded, so null, when a system won every battle it played', () => {
    const battles: Battle[] = [{ a: 0, b: 1, score: 1 }, { a: 0, b: 2, score: 1 }, { a: 1, b: 2, score: 0.5 }];
    expect(eloRatings(winMatrix(battles, 3), 2)).toBeNull();
  });

  it('name the systems no chain of battles links to the baseline, and give no ratings then', () => {
    const wins = winMatrix([{ a: 0, b: 1, score: 1 }, { a: 1, b: 0, score: 1 }, { a: 2, b: 3, score: 0.5 }], 4);
    expect(unlinkedToBaseline(wins, 0)).toEqual([2, 3]);
    expect(eloRatings(wins, 0)).toBeNull();
  });

  it('have bootstrap intervals that reproduce with the seed, equal to scikit-learn fits of the same resamples', () => {
    const c = REFERENCE.bootstrap;
    const battles = battlesOf(c.battles);
    const keys = Array.from({ length: c.systems }, (_, i) => String(i));
    const statistic = (indices: Int32Array) => {
      const ratings = eloRatings(winMatrix(battles, c.systems, indices), c.baseline);
      return Object.fromEntries(keys.map((key, i) => [key, ratings ? ratings[i]! : null]));
    };
    const once = bootstrapIntervals(battles.length, statistic, keys, { resamples: c.resamples, seed: c.seed });
    const again = bootstrapIntervals(battles.length, statistic, keys, { resamples: c.resamples, seed: c.seed });
    expect(again).toEqual(once);
    keys.forEach((key, i) => {
      expect(once[key]![0]).toBeCloseTo(c.intervals[i]![0], 5);
      expect(once[key]![1]).toBeCloseTo(c.intervals[i]![1], 5);
    });
    const otherSeed = bootstrapIntervals(battles.length, statistic, keys, { resamples: c.resamples, seed: c.seed + 1 });
    expect(otherSeed['1']).not.toEqual(once['1']);
  });
});
