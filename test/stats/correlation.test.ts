import { describe, expect, it } from 'vitest';
import { averageRanks, correlations, kendallTauB, pearson, spearman } from '../../src/stats/correlation.js';
import { DIGITS, reference } from './reference.js';

const close = (actual: number | null, expected: number | null) => {
  if (expected === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(expected, DIGITS);
};

describe('correlations against SciPy (pearsonr, spearmanr, kendalltau)', () => {
  it.each(reference.correlation.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    close(pearson(c.x, c.y), c.pearson);
    close(spearman(c.x, c.y), c.spearman);
    close(kendallTauB(c.x, c.y), c.kendall);
    expect(correlations(c.x, c.y)).toEqual({ spearman: spearman(c.x, c.y), kendall: kendallTauB(c.x, c.y), pearson: pearson(c.x, c.y) });
  });
});

describe('averageRanks', () => {
  it('gives tied values the mean of the ranks they span, as scipy.stats.rankdata does', () => {
    expect(averageRanks([3, 1, 3, 2, 2, 2, 5])).toEqual([5.5, 1, 5.5, 3, 3, 3, 7]);
  });
});

describe('undefined coefficients', () => {
  it('are null, never NaN, for a constant side, one pair or none', () => {
    for (const [x, y] of [
      [[2, 2, 2], [1, 2, 3]],
      [[1, 2, 3], [4, 4, 4]],
      [[1], [1]],
      [[], []],
    ] as [number[], number[]][]) {
      expect(correlations(x, y)).toEqual({ spearman: null, kendall: null, pearson: null });
    }
  });

  it('refuses sides of different lengths', () => {
    expect(() => pearson([1, 2], [1, 2, 3])).toThrow(RangeError);
  });
});

describe('kendallTauB', () => {
  it('agrees with a direct O(n^2) count of concordant and discordant pairs on ties-heavy data', () => {
    // A second, independent count: tau-b = (C - D) / sqrt((P - Tx) (P - Ty)) by brute force.
    const x = Array.from({ length: 157 }, (_, i) => (i * 7919) % 6);
    const y = x.map((v, i) => (v + ((i * 104729) % 5 === 0 ? 2 : 0)) % 6);
    let concordant = 0;
    let discordant = 0;
    let onlyX = 0;
    let onlyY = 0;
    for (let i = 0; i < x.length; i++) {
      for (let j = i + 1; j < x.length; j++) {
        const s = Math.sign(x[i]! - x[j]!) * Math.sign(y[i]! - y[j]!);
        if (s > 0) concordant++;
        else if (s < 0) discordant++;
        else if (x[i] === x[j] && y[i] !== y[j]) onlyX++;
        else if (y[i] === y[j] && x[i] !== x[j]) onlyY++;
      }
    }
    const expected = (concordant - discordant) / Math.sqrt((concordant + discordant + onlyX) * (concordant + discordant + onlyY));
    expect(kendallTauB(x, y)).toBeCloseTo(expected, DIGITS);
  });
});
