import { describe, expect, it } from 'vitest';
import { correlationsOfTable, distinctIndex } from '../../src/stats/contingency.js';
import { DIGITS, reference } from './reference.js';

function tableOf(x: number[], y: number[]) {
  const xi = distinctIndex(x);
  const yi = distinctIndex(y);
  const counts = new Float64Array(xi.distinct.length * yi.distinct.length);
  x.forEach((_, r) => (counts[xi.index[r]! * yi.distinct.length + yi.index[r]!]! += 1));
  return { xs: xi.distinct, ys: yi.distinct, counts };
}

describe('correlationsOfTable (the bootstrap fast path) against SciPy', () => {
  it.each(reference.correlation.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const got = correlationsOfTable(tableOf(c.x, c.y));
    for (const key of ['spearman', 'kendall', 'pearson'] as const) {
      if (c[key] === null) expect(got[key]).toBeNull();
      else expect(got[key]).toBeCloseTo(c[key], DIGITS);
    }
  });

  it('counts a pair drawn twice as two pairs, as a bootstrap resample needs', () => {
    const x = [1, 2, 2, 3, 5];
    const y = [1, 3, 2, 2, 4];
    const twice = tableOf([...x, x[1]!], [...y, y[1]!]);
    const once = tableOf(x, y);
    once.counts[1 * once.ys.length + 2]! += 1; // the pair (2, 3) once more
    expect(correlationsOfTable(once)).toEqual(correlationsOfTable(twice));
  });

  it('gives positions among the distinct values in ascending order', () => {
    const { distinct, index } = distinctIndex([3, 1, 3, 2]);
    expect(distinct).toEqual([1, 2, 3]);
    expect([...index]).toEqual([2, 0, 2, 1]);
  });
});
