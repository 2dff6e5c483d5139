import { describe, expect, it } from 'vitest';
import { meanConfidenceInterval, RunningMoments, tCdf, tQuantile, wilsonInterval } from '../../src/stats/intervals.js';

describe('tQuantile', () => {
  // Reference values from SciPy: test/fixtures/reference/t_quantile.py prints them.
  it.each([
    [0.975, 1, 12.7062047],
    [0.975, 2, 4.3026527],
    [0.975, 4, 2.7764451],
    [0.975, 10, 2.2281389],
    [0.975, 30, 2.0422725],
    [0.975, 1e6, 1.959966],
    [0.95, 4, 2.1318468],
    [0.995, 5, 4.0321430],
    [0.025, 4, -2.7764451],
  ])('gives the %s quantile with %s degrees of freedom as %s', (p, df, expected) => {
    expect(tQuantile(p, df)).toBeCloseTo(expected, 6);
  });

  it('is the inverse of tCdf', () => {
    for (const df of [1.5, 3, 7, 50]) {
      for (const p of [0.6, 0.9, 0.99, 0.9999]) expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 7);
    }
  });

  it('rejects a probability outside (0, 1) and a non-positive df', () => {
    expect(() => tQuantile(1, 4)).toThrow(RangeError);
    expect(() => tQuantile(0.975, 0)).toThrow(RangeError);
  });
});


describe('RunningMoments', () => {
  it('gives the mean and sample variance computed by hand', () => {
    const moments = new RunningMoments();
    for (const x of [2, 3, 4, 4, 5]) moments.push(x);
    // mean 18/5 = 3.6; squared deviations 2.56 + 0.36 + 0.16 + 0.16 + 1.96 = 5.2; / (5 - 1) = 1.3
    expect(moments.count).toBe(5);
    expect(moments.mean).toBeCloseTo(3.6, 12);
    expect(moments.sampleVariance).toBeCloseTo(1.3, 12);
  });

  it('stays accurate for values with a large common offset', () => {
    const moments = new RunningMoments();
    for (const x of [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16]) moments.push(x);
    expect(moments.sampleVariance).toBeCloseTo(30, 6);
  });

  it('has no mean before the first value and no variance before the second', () => {
    const moments = new RunningMoments();
    expect(moments.mean).toBeNull();
    moments.push(3);
    expect(moments.mean).toBe(3);
    expect(moments.sampleVariance).toBeNull();
    expect(meanConfidenceInterval(moments)).toBeNull();
  });
});

describe('wilsonInterval', () => {
  // Reference values from statsmodels: test/fixtures/reference/wilson.py prints them.
  it.each([
    [8, 10, 0.4901625, 0.9433178],
    [0, 10, 0.0, 0.2775328],
    [10, 10, 0.7224672, 1.0],
    [52, 100, 0.4231658, 0.6153545],
  ])('gives %s of %s as [%s, %s]', (k, n, lo, hi) => {
    const [lower, upper] = wilsonInterval(k, n)!;
    expect(lower).toBeCloseTo(lo, 6);
    expect(upper).toBeCloseTo(hi, 6);
  });

  it('has no interval for no observations', () => {
    expect(wilsonInterval(0, 0)).toBeNull();
  });
});
