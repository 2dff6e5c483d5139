import { describe, expect, it } from 'vitest';
import { DEFAULT_MARGINS, TokenBucket } from '../../src/scheduler/token-bucket.js';

const exact = { rate: 1, capacity: 1 };

describe('TokenBucket', () => {
  it('holds one second of the limit and refills continuously at the per-minute rate', () => {
    const bucket = new TokenBucket(600, 0, 1, exact); // 10 a second
    expect(bucket.capacity).toBe(10);
    for (let i = 0; i < 10; i++) {
      expect(bucket.waitMs(1, 0)).toBe(0);
      bucket.take(1, 0);
    }
    expect(bucket.waitMs(1, 0)).toBeCloseTo(100, 9);
    expect(bucket.waitMs(1, 60)).toBeCloseTo(40, 9);
    expect(bucket.waitMs(1, 100)).toBe(0);
    // Idle time never fills it past one second's share, so a burst can never exceed a slice.
    expect(bucket.levelAt(60_000)).toBe(10);
  });

  it('plans under the server by its margins: 90% of the slice, 99% of the rate', () => {
    const bucket = new TokenBucket(60_000, 0, 0, DEFAULT_MARGINS);
    expect(bucket.capacity).toBe(900);
    bucket.take(900, 0);
    expect(bucket.levelAt(500)).toBeCloseTo(495, 9);
  });

  it('gives a low limit a capacity of at least one request', () => {
    const bucket = new TokenBucket(6, 0, 1, exact); // one every 10 s
    expect(bucket.capacity).toBe(1);
    bucket.take(1, 0);
    expect(bucket.waitMs(1, 0)).toBeCloseTo(10_000, 9);
  });

  it('lets a request larger than the slice go from a full bucket and makes the next wait out the debt', () => {
    const bucket = new TokenBucket(6_000, 0, 0, exact); // 100 a second
    expect(bucket.waitMs(250, 0)).toBe(0);
    bucket.take(250, 0);
    expect(bucket.levelAt(0)).toBe(-150);
    expect(bucket.waitMs(10, 0)).toBeCloseTo(1_600, 9);
  });

  it('only lowers its level to what the server reports, never raises it', () => {
    const bucket = new TokenBucket(600, 0, 1, exact);
    bucket.capAtShare(0.3, 0);
    expect(bucket.levelAt(0)).toBeCloseTo(3, 9);
    bucket.capAtShare(0.9, 0);
    expect(bucket.levelAt(0)).toBeCloseTo(3, 9);
  });

  it('corrects an estimate either way but never fills past capacity', () => {
    const bucket = new TokenBucket(6_000, 0, 0, exact);
    bucket.take(80, 0);
    bucket.adjust(-30, 0);
    expect(bucket.levelAt(0)).toBe(-10);
    bucket.adjust(500, 0);
    expect(bucket.levelAt(0)).toBe(100);
  });

  it('keeps how full it was, as a share, when the limit changes', () => {
    const bucket = new TokenBucket(600, 0, 1, exact);
    bucket.take(5, 0);
    bucket.setLimit(1_200, 0);
    expect(bucket.capacity).toBe(20);
    expect(bucket.levelAt(0)).toBeCloseTo(10, 9);
  });

  it('refills at a scaled rate while slowed down', () => {
    const bucket = new TokenBucket(600, 0, 1, exact);
    bucket.take(10, 0);
    bucket.setRateScale(0.5, 0);
    expect(bucket.waitMs(1, 0)).toBeCloseTo(200, 9);
    bucket.setRateScale(1, 100); // 0.5 accrued at half speed
    expect(bucket.waitMs(1, 100)).toBeCloseTo(50, 9);
  });
});
