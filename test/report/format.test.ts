import { describe, expect, it } from 'vitest';
import { byCodeUnits, integer } from '../../src/report/format.js';

describe('integer', () => {
  // The en-US format it replaces, for every shape of number the summaries print.
  it.each([0, 7, 999, 1000, 1001, 12_345, 100_000, 999_999, 1_000_000, 1_234_567_890, -1, -1234, -1_000_000, 1234.5, 0.125, 2.0004, -0.0001])(
    'formats %d as en-US does',
    (n) => {
      expect(integer(n)).toBe(n.toLocaleString('en-US'));
    },
  );

  it('keeps round numbers whole (no trailing zeros are stripped from the integer part)', () => {
    expect(integer(100)).toBe('100');
    expect(integer(1_000_000)).toBe('1,000,000');
  });
});

describe('byCodeUnits', () => {
  it('orders by code units, whatever the locale would say', () => {
    expect(['timeout', 'Bad', 'bad_request', 'auth', 'Zeta'].sort(byCodeUnits)).toEqual(['Bad', 'Zeta', 'auth', 'bad_request', 'timeout']);
    expect(byCodeUnits('a', 'a')).toBe(0);
  });
});
