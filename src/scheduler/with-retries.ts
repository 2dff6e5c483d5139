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
  /** 1-based number of the retry about to happen. */
  retryNumber: number;
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
}

const realSleep = (ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, { signal }).then(() => undefined);

/**
 * Runs `attempt` until it succeeds, the policy says stop, or retries run out. This is the only
 * retry layer: the SDK's own retries are off. Every failure surfaces as an AttemptFailure carrying
 * the decision, so callers never re-classify.
 */
export async function withRetries<T>(attempt: (attemptNumber: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? realSleep;
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
        retries: options.maxRetries,
        // p-retry's own delay is zeroed: ours honours retry-after and uses full jitter.
        minTimeout: 0,
        maxTimeout: 0,
        factor: 1,
        signal: options.signal,
        onFailedAttempt: async ({ error, retriesLeft, retriesConsumed }) => {
          if (retriesLeft === 0 || !(error instanceof AttemptFailure) || error.decision.action !== 'retry') return;
          const decision = error.decision;
          // p-retry 9 reports the retries consumed before this one: 0 ahead of the first retry.
          const delayMs = backoffDelayMs(retriesConsumed, decision.retryAfterMs, options.backoff);
          options.onRetry?.({ decision, delayMs, retryNumber: retriesConsumed + 1 });
          await sleep(delayMs, options.signal);
        },
      },
    );
  } catch (error) {
    if (error instanceof AttemptFailure) throw error;
    // The run's signal fired while waiting: report it as a cancellation, not as the last failure.
    throw new AttemptFailure({ action: 'abort', code: 'cancelled', message: 'cancelled' }, error);
  }
}
