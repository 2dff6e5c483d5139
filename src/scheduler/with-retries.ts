import { setTimeout as sleepFor } from 'node:timers/promises';
import pRetry, { AbortError } from 'p-retry';
import { backoffDelayMs, type BackoffOptions } from './backoff.js';
import type { RetryDecision } from './classify.js';

/** A failed attempt and what the retry policy decided about it. */
export class AttemptFailure extends Error {
  override name = 'AttemptFailure';
  constructor(readonly decision: RetryDecision, override readonly cause: unknown) {
    super(decision.message);
  }
}

/** Told before each retry's wait, so the run can count and show it. */
export interface RetryNotice {
  decision: Extract<RetryDecision, { action: 'retry' }>;
  delayMs: number;
  /** 1-based number of the re-send about to happen (re-queues included). */
  retryNumber: number;
  /** Re-queued behind the request gate's cooldown: no retry consumed, no wait of its own. */
  requeued?: boolean;
}

export interface RetryOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  backoff: BackoffOptions;
  classify: (error: unknown) => RetryDecision;
  signal?: AbortSignal;
  /** Injectable so scheduler tests run on a fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onRetry?: (notice: RetryNotice) => void;
  /**
   * Failures the caller's request gate already holds back (a 429 pauses every request until its
   * retry-after): they are re-sent without consuming one of `maxRetries` and without a timer of
   * their own, since a second wait on top of the gate's would only slow the run.
   */
  requeue?: (decision: Extract<RetryDecision, { action: 'retry' }>) => boolean;
  /** Re-queues per request before such failures count as ordinary retries again; default 50. */
  maxRequeues?: number;
}

/** Enough for any sane storm of 429s, yet a server that never lets a request through still ends. */
export const DEFAULT_MAX_REQUEUES = 50;

const realSleep = (ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, { signal }).then(() => undefined);

/**
 * Runs `attempt` until it succeeds, the policy says stop, or retries run out. This is the only
 * retry layer: the SDK's own retries are off. Every failure surfaces as an AttemptFailure carrying
 * the decision, so callers never re-classify.
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  const maxRequeues = options.maxRequeues ?? DEFAULT_MAX_REQUEUES;
  // Counted here rather than by p-retry: a re-queue must not consume a retry, and with
  // --max-retries 0 p-retry would refuse even a retry that consumes nothing.
  let retriesUsed = 0;
  let requeues = 0;
  let requeued = false;
  let retryGranted = false;
  const retryDecision = (error: unknown) =>
    error instanceof AttemptFailure && error.decision.action === 'retry' ? error.decision : undefined;
  try {
    return await pRetry(
      async (attemptNumber) => {
        try {
          return await attempt(attemptNumber);
        } catch (error) {
          const decision = options.classify(error);
          const failure = new AttemptFailure(decision, error);
          // Anything but a retryable failure ends the loop now; AbortError is p-retry's way to say so.
          throw decision.action === 'retry' ? failure : new AbortError(failure);
        }
      },
      {
        retries: Number.POSITIVE_INFINITY,
        // p-retry's own delay is zeroed: ours honours retry-after and uses full jitter.
        minTimeout: 0,
        maxTimeout: 0,
        factor: 1,
        signal: options.signal,
        shouldConsumeRetry: ({ error }) => {
          const decision = retryDecision(error);
          requeued = decision !== undefined && options.requeue?.(decision) === true && requeues < maxRequeues;
          if (requeued) requeues++;
          return !requeued;
        },
        onFailedAttempt: async ({ error }) => {
          retryGranted = false;
          const decision = retryDecision(error);
          if (!decision) return;
          if (requeued) {
            options.onRetry?.({ decision, delayMs: 0, retryNumber: retriesUsed + requeues, requeued: true });
            return;
          }
          if (retriesUsed >= options.maxRetries) return;
          const delayMs = backoffDelayMs(retriesUsed, decision.retryAfterMs, options.backoff);
          retriesUsed++;
          retryGranted = true;
          options.onRetry?.({ decision, delayMs, retryNumber: retriesUsed + requeues });
          await sleep(delayMs, options.signal);
        },
        shouldRetry: () => requeued || retryGranted,
      },
    );
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    // The run's signal fired while waiting: report it as a cancellation, not as the last failure.
    throw new AttemptFailure({ action: 'abort', code: 'cancelled', message: 'cancelled' }, error);
  }
}
