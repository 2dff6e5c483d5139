import { describe, expect, it } from 'vitest';
import { createRateBudget, formatGoDuration } from '../../src/emulator/budget.js';

/** A clock the test moves by hand. */
function fakeClock(start = 1_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe('formatGoDuration', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [20, '20ms'],
    [119.2, '120ms'],
    [999, '999ms'],
    [1000, '1s'],
    [8640, '8.64s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [360_000, '6m0s'],
    [5_535_000, '1h32m15s'],
  ])('formats %s ms as %s, rounding up to whole milliseconds', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
  });
});

describe('createRateBudget', () => {
  it('admits everything and sends no headers when no limit is set', () => {
    const budget = createRateBudget({ now: fakeClock().now });
    for (let i = 0; i < 1000; i++) expect(budget.tryAcquire(1_000_000).ok).toBe(true);
    expect(budget.headers()).toEqual({});
  });

  it('admits one second\'s share of the RPM at once, then asks the next request to wait for the refill', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ rpm: 120, now: clock.now }); // capacity 2, refills 2 per second
    expect(budget.tryAcquire(1).ok).toBe(true);
    expect(budget.tryAcquire(1).ok).toBe(true);
    const refused = budget.tryAcquire(1);
    expect(refused).toMatchObject({ ok: false, kind: 'requests', tooLarge: false, retryAfterMs: 500, limitPerMinute: 120, requested: 1 });
    clock.advance(499);
    expect(budget.tryAcquire(1)).toMatchObject({ ok: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(budget.tryAcquire(1).ok).toBe(true);
  });

  it('gives a low RPM a capacity of at least one request', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ rpm: 30, now: clock.now }); // 0.5 per second, but one must fit
    expect(budget.tryAcquire(1).ok).toBe(true);
    expect(budget.tryAcquire(1)).toMatchObject({ ok: false, retryAfterMs: 2000 });
    clock.advance(2000);
    expect(budget.tryAcquire(1).ok).toBe(true);
  });

  it('lets a request larger than one second of TPM through from a full bucket and makes later ones wait out the debt', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ tpm: 6000, now: clock.now }); // capacity 100, refills 0.1 per ms
    expect(budget.tryAcquire(250).ok).toBe(true); // level 100 → -150
    const refused = budget.tryAcquire(10);
    expect(refused).toMatchObject({ ok: false, kind: 'tokens', retryAfterMs: 1600, requested: 10 });
    clock.advance(1600);
    expect(budget.tryAcquire(10).ok).toBe(true);
  });

  it('refuses a request bigger than the whole TPM as too large, even after the bucket refills', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ tpm: 6000, now: clock.now });
    const refused = budget.tryAcquire(6001);
    expect(refused).toMatchObject({ ok: false, kind: 'tokens', tooLarge: true, limitPerMinute: 6000, requested: 6001 });
    clock.advance(120_000);
    expect(budget.tryAcquire(6001)).toMatchObject({ ok: false, tooLarge: true });
    expect(budget.tryAcquire(6000).ok).toBe(true);
  });

  it('charges nothing for a refused request', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ rpm: 600, tpm: 60_000, now: clock.now }); // 10 requests, 1000 tokens per second
    expect(budget.tryAcquire(900).ok).toBe(true);
    expect(budget.tryAcquire(500).ok).toBe(false); // needs 500, holds 100
    expect(budget.headers()['x-ratelimit-remaining-requests']).toBe('540'); // only the first request was charged
    expect(budget.tryAcquire(100).ok).toBe(true); // the 100 tokens are still there
  });

  it('reports the limit whose wait is longer when both are short', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ rpm: 60, tpm: 600, now: clock.now }); // 1 request/s; 10 tokens/s
    expect(budget.tryAcquire(10).ok).toBe(true);
    // requests: 1 s until 1 fits; tokens: 10 tokens at 0.01 per ms = 1 s, plus the debt → tokens wait 1000 too.
    expect(budget.tryAcquire(10)).toMatchObject({ ok: false, retryAfterMs: 1000 });
    clock.advance(1000);
    expect(budget.tryAcquire(10).ok).toBe(true);
    clock.advance(1000);
    expect(budget.tryAcquire(40).ok).toBe(true); // tokens now at -30, requests at 0
    clock.advance(1000); // requests full again; tokens at -20
    expect(budget.tryAcquire(10)).toMatchObject({ ok: false, kind: 'tokens', retryAfterMs: 3000 });
  });

  it('reports x-ratelimit headers as the limit scaled by fill level and the Go-style time until full', () => {
    const clock = fakeClock();
    const budget = createRateBudget({ rpm: 600, tpm: 60_000, now: clock.now });
    for (let i = 0; i < 3; i++) budget.tryAcquire(250);
    expect(budget.headers()).toEqual({
      'x-ratelimit-limit-requests': '600',
      'x-ratelimit-remaining-requests': '420', // 7 of 10 left
      'x-ratelimit-reset-requests': '300ms',
      'x-ratelimit-limit-tokens': '60000',
      'x-ratelimit-remaining-tokens': '15000', // 250 of 1000 left
      'x-ratelimit-reset-tokens': '750ms',
    });
    clock.advance(10_000);
    expect(budget.headers()).toMatchObject({ 'x-ratelimit-remaining-requests': '600', 'x-ratelimit-reset-requests': '0s' });
  });

  it('reports zero remaining (never negative) while a bucket is in debt', () => {
    const budget = createRateBudget({ tpm: 6000, now: fakeClock().now });
    budget.tryAcquire(300); // 100 → -200
    expect(budget.headers()['x-ratelimit-remaining-tokens']).toBe('0');
    expect(budget.headers()['x-ratelimit-reset-tokens']).toBe('3s');
  });
});
