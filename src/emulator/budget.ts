/**
 * Per-minute rate limits enforced in one-second slices, the way OpenAI does: a limit of N per
 * minute is a bucket holding N/60 that refills continuously, so a burst larger than one second's
 * share is refused even when the minute's total would allow it.
 */

/** Which limit refused a request. */
export type LimitKind = 'requests' | 'tokens';

/** The budget's answer for one request. */
export type BudgetDecision =
  | { ok: true }
  | {
      ok: false;
      kind: LimitKind;
      /** True when the request is bigger than the whole per-minute limit and can never pass. */
      tooLarge: boolean;
      /** Whole ms until the request would fit (0 when `tooLarge`). */
      retryAfterMs: number;
      limitPerMinute: number;
      /** Of the per-minute limit, how much the bucket's deficit represents. */
      used: number;
      requested: number;
    };

const floatSlack = 1e-9;

/** One continuously refilled bucket. */
export class TokenBucket {
  /** One second's share of the limit. */
  readonly capacity: number;
  private readonly refillPerMs: number;
  private level: number;
  private lastAt: number;

  constructor(
    readonly limitPerMinute: number,
    minCapacity: number,
    startAt: number,
  ) {
    this.capacity = Math.max(minCapacity, limitPerMinute / 60);
    this.refillPerMs = limitPerMinute / 60 / 1000;
    this.level = this.capacity;
    this.lastAt = startAt;
  }

  /** Adds what accrued since the last look, up to capacity. */
  refill(at: number): void {
    const elapsed = Math.max(0, at - this.lastAt);
    this.level = Math.min(this.capacity, this.level + elapsed * this.refillPerMs);
    this.lastAt = at;
  }

  /** Ms until the bucket holds min(charge, capacity); 0 when it already does. Call after refill. */
  shortfallMs(charge: number): number {
    const needed = Math.min(charge, this.capacity);
    // Refill arithmetic is floating point; a hair's shortfall would otherwise cost a whole extra ms.
    const missing = needed - this.level;
    return missing <= floatSlack ? 0 : missing / this.refillPerMs;
  }

  /** Takes the full charge; the level may go negative, which later requests then wait out. */
  debit(charge: number): void {
    this.level -= charge;
  }

  /** The per-minute limit scaled by how full the bucket is, as `x-ratelimit-remaining-*` reports it. */
  remaining(): number {
    return Math.max(0, Math.floor((this.level / this.capacity) * this.limitPerMinute));
  }

  /** Ms until the bucket is full again, as `x-ratelimit-reset-*` reports it. */
  resetMs(): number {
    return Math.max(0, (this.capacity - this.level) / this.refillPerMs);
  }
}

/** Limits and clock for a budget; an unset limit is unlimited. */
export interface RateBudgetOptions {
  rpm?: number | undefined;
  tpm?: number | undefined;
  /** Monotonic ms; default `performance.now`. */
  now?: () => number;
}

/** The request and token buckets of one emulator. */
export interface RateBudget {
  /** Admits (and charges) one request costing `tokenCharge` tokens, or says why not. */
  tryAcquire(tokenCharge: number): BudgetDecision;
  /** The `x-ratelimit-*` headers for each limit that is set, as of now. */
  headers(): Record<string, string>;
  /** The same figures as numbers, for servers that write them under other names. */
  figures(): LimitFigures[];
}

/** One limit's figures as of now. */
export interface LimitFigures {
  kind: LimitKind;
  limitPerMinute: number;
  remaining: number;
  resetMs: number;
}

/** Builds a budget; both buckets start full. */
export function createRateBudget(options: RateBudgetOptions = {}): RateBudget {
  const now = options.now ?? (() => performance.now());
  const start = now();
  const requests = options.rpm === undefined ? undefined : new TokenBucket(options.rpm, 1, start);
  const tokens = options.tpm === undefined ? undefined : new TokenBucket(options.tpm, 0, start);

  const refillAll = () => {
    const at = now();
    requests?.refill(at);
    tokens?.refill(at);
  };

  return {
    tryAcquire(tokenCharge) {
      if (tokens && tokenCharge > tokens.limitPerMinute) {
        return refusal('tokens', tokens, tokenCharge, 0, true);
      }
      refillAll();
      const requestWait = requests?.shortfallMs(1) ?? 0;
      const tokenWait = tokens?.shortfallMs(tokenCharge) ?? 0;
      if (requests && requestWait > 0 && requestWait >= tokenWait) {
        return refusal('requests', requests, 1, requestWait, false);
      }
      if (tokens && tokenWait > 0) return refusal('tokens', tokens, tokenCharge, tokenWait, false);
      requests?.debit(1);
      tokens?.debit(tokenCharge);
      return { ok: true };
    },
    figures() {
      refillAll();
      const figures: LimitFigures[] = [];
      for (const [kind, bucket] of [['requests', requests], ['tokens', tokens]] as const) {
        if (bucket) figures.push({ kind, limitPerMinute: bucket.limitPerMinute, remaining: bucket.remaining(), resetMs: bucket.resetMs() });
      }
      return figures;
    },
    headers() {
      return openaiRateHeaders(this.figures());
    },
  };
}

function refusal(kind: LimitKind, bucket: TokenBucket, requested: number, waitMs: number, tooLarge: boolean): BudgetDecision {
  return {
    ok: false,
    kind,
    tooLarge,
    retryAfterMs: tooLarge ? 0 : Math.max(1, Math.ceil(waitMs - 1e-6)),
    limitPerMinute: bucket.limitPerMinute,
    used: Math.max(0, bucket.limitPerMinute - bucket.remaining()),
    requested,
  };
}

/**
 * Formats ms the way Go's `time.Duration.String` does, which is what OpenAI's reset headers use:
 * `20ms`, `1s`, `8.64s`, `6m0s`, `1h32m15s`. Rounds up to whole ms so a wait is never understated.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.ceil(Math.max(0, ms));
  if (total === 0) return '0s';
  if (total < 1000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const secondsMs = total % 60_000;
  // Go prints seconds with only the decimals needed: 8640 ms → "8.64", 6000 ms → "6".
  const seconds = String(secondsMs / 1000);
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/** OpenAI's rate headers for `figures`, each name after `prefix` (LiteLLM writes `llm_provider-`). */
export function openaiRateHeaders(figures: LimitFigures[], prefix = ''): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { kind, limitPerMinute, remaining, resetMs } of figures) {
    headers[`${prefix}x-ratelimit-limit-${kind}`] = String(limitPerMinute);
    headers[`${prefix}x-ratelimit-remaining-${kind}`] = String(remaining);
    headers[`${prefix}x-ratelimit-reset-${kind}`] = formatGoDuration(resetMs);
  }
  return headers;
}
