import { describe, expect, it } from 'vitest';
import type { RetryDecision } from '../../src/scheduler/classify.js';
import { AttemptFailure, withRetries, type RetryNotice } from '../../src/scheduler/with-retries.js';

const retryable = (retryAfterMs?: number): RetryDecision => ({
  action: 'retry',
  code: 'rate_limited',
  message: '429',
  retryAfterMs,
  rateLimited: true,
});

function harness(decisions: RetryDecision[], maxRetries = 6) {
  const slept: number[] = [];
  const notices: RetryNotice[] = [];
  let calls = 0;
  const run = () =>
    withRetries(
      async () => {
        const decision = decisions[calls++];
        if (!decision) return 'ok';
        throw decision;
      },
      {
        maxRetries,
        backoff: { baseMs: 100, capMs: 1_000, random: () => 0.5 },
        classify: (error) => error as RetryDecision,
        sleep: async (ms) => void slept.push(ms),
        onRetry: (notice) => notices.push(notice),
      },
    );
  return { run, slept, notices, calls: () => calls };
}

describe('withRetries', () => {
  it('waits out a retry-after hint and then succeeds', async () => {
    const h = harness([retryable(300)]);
    await expect(h.run()).resolves.toBe('ok');
    expect(h.calls()).toBe(2);
    // hint × (1 + 0.1 × 0.5)
    expect(h.slept).toEqual([315]);
    expect(h.notices.map((n) => n.retryNumber)).toEqual([1]);
  });

  it('backs off exponentially with full jitter when there is no hint', async () => {
    const h = harness([retryable(), retryable(), retryable(), retryable(), retryable()]);
    await h.run();
    // random 0.5 × min(1000, 100·2^i)
    expect(h.slept).toEqual([50, 100, 200, 400, 500]);
  });

  it('gives up after maxRetries and surfaces the last failure with its decision', async () => {
    const h = harness([retryable(), retryable(), retryable()], 2);
    const error = await h.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AttemptFailure);
    expect((error as AttemptFailure).decision.code).toBe('rate_limited');
    expect(h.calls()).toBe(3);
    expect(h.slept).toHaveLength(2);
  });

  it('never retries a failure the policy does not call retryable', async () => {
    const h = harness([{ action: 'stop-run', code: 'insufficient_quota', message: 'quota', hint: 'pay' }]);
    const error = await h.run().catch((e: unknown) => e);
    expect((error as AttemptFailure).decision.action).toBe('stop-run');
    expect(h.calls()).toBe(1);
    expect(h.slept).toEqual([]);
  });

  it('re-queues what the gate holds back without consuming a retry or sleeping, even with no retries allowed', async () => {
    const slept: number[] = [];
    const notices: RetryNotice[] = [];
    let calls = 0;
    const result = await withRetries(
      async () => {
        if (calls++ < 4) throw retryable(5_000);
        return 'ok';
      },
      {
        maxRetries: 0,
        backoff: { baseMs: 100, capMs: 1_000, random: () => 0.5 },
        classify: (error) => error as RetryDecision,
        requeue: (decision) => decision.rateLimited,
        sleep: async (ms) => void slept.push(ms),
        onRetry: (notice) => notices.push(notice),
      },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(5);
    expect(slept).toEqual([]);
    expect(notices.map((n) => [n.retryNumber, n.requeued, n.delayMs])).toEqual([
      [1, true, 0],
      [2, true, 0],
      [3, true, 0],
      [4, true, 0],
    ]);
  });

  it('counts re-queues past maxRequeues as ordinary retries, so a server that never relents still ends', async () => {
    let calls = 0;
    const error = await withRetries(
      async () => {
        calls++;
        throw retryable(10);
      },
      {
        maxRetries: 1,
        maxRequeues: 3,
        backoff: { baseMs: 1, capMs: 1, random: () => 0 },
        classify: (e) => e as RetryDecision,
        requeue: () => true,
        sleep: async () => {},
      },
    ).catch((e: unknown) => e);
    expect((error as AttemptFailure).decision.code).toBe('rate_limited');
    // 1 attempt + 3 re-queues + 1 retry.
    expect(calls).toBe(5);
  });

  it('reports a cancellation when the signal fires during a wait', async () => {
    const controller = new AbortController();
    const error = await withRetries(
      async () => {
        throw retryable(10_000);
      },
      {
        maxRetries: 3,
        backoff: { baseMs: 100, capMs: 1_000, random: () => 0 },
        classify: (e) => e as RetryDecision,
        signal: controller.signal,
        onRetry: () => controller.abort(),
      },
    ).catch((e: unknown) => e);
    expect((error as AttemptFailure).decision.action).toBe('abort');
  });
});
