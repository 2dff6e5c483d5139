/** Backoff settings: the first retry waits up to `baseMs`, doubling each time up to `capMs`. */
export interface BackoffOptions {
  baseMs: number;
  capMs: number;
  /** Uniform in [0, 1); injectable so tests are deterministic. */
  random: () => number;
}

export const DEFAULT_BACKOFF: Omit<BackoffOptions, 'random'> = { baseMs: 500, capMs: 30_000 };

/**
 * The wait before retry number `retryIndex` (0 for the first retry). Without a server hint it is
 * "full jitter" (uniform in [0, min(cap, base·2^i)]), which spreads workers that failed together.
 * With a hint the server knows best: wait it out, plus up to 10% so workers do not return in lockstep.
 */
export function backoffDelayMs(retryIndex: number, hintMs: number | undefined, options: BackoffOptions): number {
  if (hintMs !== undefined) return Math.round(hintMs * (1 + 0.1 * options.random()));
  const ceiling = Math.min(options.capMs, options.baseMs * 2 ** retryIndex);
  return Math.round(options.random() * ceiling);
}
