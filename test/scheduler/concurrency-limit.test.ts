import { describe, expect, it } from 'vitest';
import { ConcurrencyLimit } from '../../src/scheduler/concurrency-limit.js';

describe('ConcurrencyLimit', () => {
  it('starts at its maximum', () => {
    expect(new ConcurrencyLimit(8).current).toBe(8);
  });

  it('halves once per window: failures of requests sent before the cut do not cut again', () => {
    const limit = new ConcurrencyLimit(16);
    const sentIn = limit.epoch;
    expect(limit.decrease(sentIn)).toBe(true);
    expect(limit.current).toBe(8);
    expect(limit.decrease(sentIn)).toBe(false);
    expect(limit.current).toBe(8);
    expect(limit.decrease(limit.epoch)).toBe(true);
    expect(limit.current).toBe(4);
  });

  it('never goes below 1', () => {
    const limit = new ConcurrencyLimit(3);
    for (let i = 0; i < 10; i++) limit.decrease(limit.epoch);
    expect(limit.current).toBe(1);
  });

  it('grows by about one per full window of successes, up to the maximum', () => {
    const limit = new ConcurrencyLimit(8);
    limit.decrease(limit.epoch);
    limit.decrease(limit.epoch); // 2
    let successes = 0;
    while (limit.current < 4) {
      limit.increase();
      successes++;
    }
    // +1/limit each: 2.5, 2.9, 3.24, 3.55, 3.84, 4.1 — about a window's worth per step.
    expect(successes).toBe(6);
    for (let i = 0; i < 1_000; i++) limit.increase();
    expect(limit.current).toBe(8);
  });

  it('refuses a maximum that is not a positive integer', () => {
    expect(() => new ConcurrencyLimit(0)).toThrow(RangeError);
  });
});
