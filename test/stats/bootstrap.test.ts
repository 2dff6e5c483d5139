import { describe, expect, it } from 'vitest';
import { bootstrapIntervals, quantileOfSorted } from '../../src/stats/bootstrap.js';
import { indexFrom, seededUint32 } from '../../src/stats/random.js';
import { DIGITS, reference } from './reference.js';

describe('the seeded random stream', () => {
  it.each(Object.entries(reference.prng))('with seed %s draws what the Python re-implementation draws', (seed, expected) => {
    const next = seededUint32(Number(seed));
    expect(Array.from({ length: expected.length }, next)).toEqual(expected);
  });

  it('draws indices within [0, n)', () => {
    expect(indexFrom(0, 7)).toBe(0);
    expect(indexFrom(4_294_967_295, 7)).toBe(6);
  });
});

describe('quantileOfSorted', () => {
  it('interpolates as numpy.percentile does', () => {
    const sorted = [...reference.percentile.values].sort((a, b) => a - b);
    reference.percentile.q.forEach((q, i) => expect(quantileOfSorted(sorted, q)).toBeCloseTo(reference.percentile.expected[i]!, DIGITS));
  });

  it('has no quantile of nothing', () => {
    expect(quantileOfSorted([], 0.5)).toBeNull();
  });
});

describe('bootstrapIntervals', () => {
  const { a, b, seed, resamples, mean_diff_ci95 } = reference.compare;
  const differences = a.map((x, i) => b[i]! - x);
  const meanOf = (indices: Int32Array) => ({ mean: Array.from(indices, (i) => differences[i]!).reduce((s, d) => s + d, 0) / indices.length });

  it('gives the interval NumPy gives on the same resamples (a paired mean difference)', () => {
    const { mean } = bootstrapIntervals(differences.length, meanOf, ['mean'], { resamples, seed });
    expect(mean![0]).toBeCloseTo(mean_diff_ci95[0], DIGITS);
    expect(mean![1]).toBeCloseTo(mean_diff_ci95[1], DIGITS);
  });

  it('is reproducible with a seed and moves with another', () => {
    const first = bootstrapIntervals(differences.length, meanOf, ['mean'], { resamples: 200, seed: 9 });
    expect(bootstrapIntervals(differences.length, meanOf, ['mean'], { resamples: 200, seed: 9 })).toEqual(first);
    expect(bootstrapIntervals(differences.length, meanOf, ['mean'], { resamples: 200, seed: 10 })).not.toEqual(first);
  });

  it('gives no interval for 0 resamples or fewer than two units', () => {
    expect(bootstrapIntervals(differences.length, meanOf, ['mean'], { resamples: 0, seed: 1 })).toEqual({ mean: null });
    expect(bootstrapIntervals(1, () => ({ mean: 1 }), ['mean'], { resamples: 100, seed: 1 })).toEqual({ mean: null });
  });

  it('leaves undefined resamples out, and gives no interval when they are the majority', () => {
    let call = 0;
    const mostlyUndefined = () => ({ rare: call++ % 3 === 0 ? 1 : null, often: call % 3 === 0 ? null : 2 });
    expect(bootstrapIntervals(5, mostlyUndefined, ['rare', 'often'], { resamples: 30, seed: 1 })).toEqual({ rare: null, often: [2, 2] });
  });
});
