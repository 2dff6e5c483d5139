import { describe, expect, it } from 'vitest';
import { signTestP } from '../../src/stats/sign-test.js';
import { reference } from './reference.js';

describe('signTestP against scipy.stats.binomtest(k, n, 0.5)', () => {
  it.each(reference.sign_test)('%s wins and %s losses give p = %s', (wins, losses, expected) => {
    // Relative: the large lopsided cases have p far below 1e-6, where an absolute check says nothing.
    expect(Math.abs(signTestP(wins, losses)! - expected)).toBeLessThanOrEqual(expected * 1e-9);
  });

  it('is symmetric in wins and losses', () => {
    expect(signTestP(3, 12)).toBe(signTestP(12, 3));
  });

  it('has no p-value with no non-tied pairs, and refuses negative or fractional counts', () => {
    expect(signTestP(0, 0)).toBeNull();
    expect(() => signTestP(-1, 3)).toThrow(RangeError);
    expect(() => signTestP(1.5, 3)).toThrow(RangeError);
  });

  it('stays above 0 for a very lopsided comparison (jstat rounds its binomial cdf to 1e-10)', () => {
    const p = signTestP(900, 100)!;
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-100);
  });
});
