import { describe, expect, it } from 'vitest';
import { createAnswerDelay } from '../../src/emulator/latency.js';

describe('createAnswerDelay', () => {
  it('waits exactly the latency when there is no jitter', () => {
    const delay = createAnswerDelay(50, 0, 1);
    expect([delay(), delay(), delay()]).toEqual([50, 50, 50]);
  });

  it('spreads delays uniformly within latency ± jitter, the same sequence for the same seed', () => {
    const draws = (seed: number) => {
      const delay = createAnswerDelay(100, 40, seed);
      return Array.from({ length: 500 }, delay);
    };
    const delays = draws(7);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(60);
    expect(Math.max(...delays)).toBeLessThanOrEqual(140);
    expect(delays.filter((d) => d < 100).length).toBeGreaterThan(200); // both sides of the latency are used
    expect(delays.filter((d) => d > 100).length).toBeGreaterThan(200);
    expect(draws(7)).toEqual(delays);
    expect(draws(8)).not.toEqual(delays);
  });

  it('never returns a negative delay when the jitter exceeds the latency', () => {
    const delay = createAnswerDelay(5, 50, 0);
    const delays = Array.from({ length: 200 }, delay);
    expect(Math.min(...delays)).toBe(0);
  });
});
