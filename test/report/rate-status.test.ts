import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProgress } from '../../src/report/progress.js';
import { formatRates, formatWaiting, RateStatus } from '../../src/report/rate-status.js';
import type { RunEvent } from '../../src/run/events.js';

function clock(start = 0) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

const limits = (rpm: number | null, tpm: number | null, extra: Partial<Extract<RunEvent, { type: 'limits' }>> = {}): RunEvent => ({
  type: 'limits',
  rpm,
  tpm,
  source: { rpm: rpm === null ? null : 'server', tpm: tpm === null ? null : 'server' },
  rateScale: 1,
  concurrency: 8,
  maxConcurrency: 8,
  learning: false,
  ...extra,
});

describe('RateStatus', () => {
  it('measures the requests and tokens sent per minute over the last minute', () => {
    const c = clock();
    const status = new RateStatus(c.now);
    for (let i = 0; i < 40; i++) {
      status.onEvent({ type: 'request', tokens: 500 });
      c.advance(100);
    }
    // 40 requests in 4 s: 600 a minute.
    expect(status.snapshot()).toMatchObject({ rpm: 600, tpm: 300_000 });
    // 36 s later the same 40 are all the last minute holds: 40 in 40 s.
    c.advance(36_000);
    expect(status.snapshot()).toMatchObject({ rpm: 60, tpm: 30_000 });
    c.advance(60_000);
    expect(status.snapshot()).toMatchObject({ rpm: 0, tpm: 0 });
  });

  it('shows a run the gate paces at 300 a minute as at most 300, and close to it, from its first second on', () => {
    const c = clock(123_456);
    const status = new RateStatus(c.now);
    status.onEvent(limits(300, 60_000));
    // As RequestGate sends: the bucket's slice (about 0.9 s of the limit) at once, then one per 200 ms.
    for (let i = 0; i < 4; i++) status.onEvent({ type: 'request', tokens: 100 });
    const shown: number[] = [];
    for (let step = 1; step <= 180 * 20; step++) {
      c.advance(50);
      if (step % 4 === 0) status.onEvent({ type: 'request', tokens: 100 });
      if (step >= 20) shown.push(status.snapshot().rpm);
    }
    expect(Math.max(...shown)).toBeLessThanOrEqual(300);
    expect(Math.min(...shown)).toBeGreaterThanOrEqual(295);
    expect(formatRates(status.snapshot())).toMatch(/^rpm (29[5-9]|300)\/300, tpm (29|30)k\/60k/);
  });

  it('without a known limit, measures a steady pace within a request of what it is', () => {
    const c = clock();
    const status = new RateStatus(c.now);
    const shown: number[] = [];
    for (let step = 1; step <= 150 * 20; step++) {
      c.advance(50);
      if (step % 4 === 0) status.onEvent({ type: 'request' });
      if (step >= 20 * 60) shown.push(status.snapshot().rpm);
    }
    expect(Math.min(...shown)).toBeGreaterThanOrEqual(299);
    expect(Math.max(...shown)).toBeLessThan(301.1);
  });

  it('says what dispatch waits for and how much longer, until a request goes out', () => {
    const c = clock();
    const status = new RateStatus(c.now);
    status.onEvent({ type: 'waiting', reason: 'cooldown', ms: 2_300 });
    expect(formatWaiting(status.snapshot())).toBe('waiting for rate limit 2.3s (429 cooldown)');
    c.advance(1_000);
    expect(formatWaiting(status.snapshot())).toBe('waiting for rate limit 1.3s (429 cooldown)');
    status.onEvent({ type: 'request' });
    expect(formatWaiting(status.snapshot())).toBeUndefined();
    status.onEvent({ type: 'waiting', reason: 'tokens', ms: 80 });
    expect(formatWaiting(status.snapshot(), 500)).toBeUndefined();
  });

  it('says how long a long wait is and why the server asked for it, never a silent stall', () => {
    const status = new RateStatus(clock().now);
    const line = status.onEvent({ type: 'waiting', reason: 'cooldown', ms: 3_600_000, why: 'RetryInfo.retryDelay: You exceeded your current quota' });
    expect(line).toBe('server asked to wait: every request paused for 3600.0s (60 min) (RetryInfo.retryDelay: You exceeded your current quota)');
    expect(status.onEvent({ type: 'waiting', reason: 'tokens', ms: 300_000 })).toBe('waiting 300.0s (5 min) for the token budget');
  });

  it('logs a cooldown of a second or more, a long wait for the budget, and the limits the server reports', () => {
    const status = new RateStatus(clock().now);
    expect(status.onEvent({ type: 'waiting', reason: 'cooldown', ms: 2_000 })).toBe('rate limited (429): every request paused for 2.0s');
    expect(status.onEvent({ type: 'waiting', reason: 'cooldown', ms: 300 })).toBeUndefined();
    expect(status.onEvent({ type: 'waiting', reason: 'requests', ms: 100 })).toBeUndefined();
    expect(status.onEvent({ type: 'waiting', reason: 'tokens', ms: 6_000 })).toBe('waiting 6.0s for the token budget');
    expect(status.onEvent(limits(null, null, { learning: true }))).toBeUndefined();
    expect(status.onEvent(limits(600, 60_000))).toBe('rate limits from the server: 600 requests/min, 60,000 tokens/min');
    // Only news is logged: the same limits again, or a concurrency change, are not.
    expect(status.onEvent(limits(600, 60_000, { concurrency: 4 }))).toBeUndefined();
  });

  it('formats the pace against the limits, in full for logs and compact for the bar', () => {
    const c = clock();
    const status = new RateStatus(c.now);
    status.onEvent(limits(600, 60_000, { concurrency: 6 }));
    for (let i = 0; i < 9; i++) status.onEvent({ type: 'request', tokens: 100 });
    c.advance(1_000);
    expect(formatRates(status.snapshot())).toBe('rpm 540/600, tpm 54k/60k, concurrency 6/8');
    expect(formatRates(status.snapshot(), true)).toBe('rpm 540/600 tpm 54k/60k conc 6/8');
    const unknown = new RateStatus(c.now);
    expect(formatRates(unknown.snapshot())).toBe('rpm 0, tpm 0');
  });
});

describe('plain progress lines', () => {
  it('say when the run waits for the rate limit, and show the pace, the limits and the concurrency', async () => {
    const written: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        written.push(String(chunk));
        done();
      },
    });
    const c = clock(1_000);
    const progress = await createProgress({ stream, style: 'lines', now: c.now, intervalMs: 60_000 });
    progress.onEvent({ type: 'start', rows: 10, alreadyGraded: 0, model: 'm', prompt: 'p', concurrency: 8 });
    progress.onEvent(limits(600, null));
    progress.onEvent({ type: 'request', tokens: 100 });
    progress.onEvent({ type: 'rate-limited' });
    progress.onEvent({ type: 'waiting', reason: 'cooldown', ms: 3_000 });
    c.advance(1_000);
    progress.stop();
    const text = written.join('');
    expect(text).toContain('rate limits from the server: 600 requests/min\n');
    expect(text).toContain('rate limited (429): every request paused for 3.0s\n');
    expect(text).toMatch(/429 1, tokens 0, rpm 60\/600, tpm 6\.0k, concurrency 8\/8, waiting for rate limit 2\.0s \(429 cooldown\)\n$/);
  });
});
