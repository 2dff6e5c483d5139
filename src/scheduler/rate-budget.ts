/**
 * The run's request and token budgets: limits given on the command line or learned from the
 * server's headers, kept honest with what the server says is left, and slowed down (then ramped
 * back up) when the server asks for it.
 */
import type { LimitHint, RateHints } from '../dialect/rate-headers.js';
import { DEFAULT_MARGINS, TokenBucket, type BucketMargins } from './token-bucket.js';

/** Which per-minute limit. */
export type LimitKind = 'requests' | 'tokens';

/** What a request will cost before it is sent: its prompt (our estimate) and its most output. */
export interface TokenEstimate {
  promptTokens: number;
  completionTokens: number;
}

/** How to build a budget; an absent limit is learned from the server, if it sends one. */
export interface RateBudgetOptions {
  rpm?: number;
  tpm?: number;
  margins?: BucketMargins;
  /** Refill multiplier gained back per ms after a slow-down; default 2% a second. */
  rampPerMs?: number;
  /**
   * Share (0..1] of the learned limits this process may use: a shard's part of a key that other
   * shards spend at the same time. Limits given as flags are taken as they are.
   */
  share?: number;
}

/** The limits the budget plans for, per minute; null when there is none (or none known yet). */
export interface BudgetLimits {
  rpm: number | null;
  tpm: number | null;
  /** Whether each limit came from a flag or from the server's headers. */
  source: { rpm: 'flag' | 'server' | null; tpm: 'flag' | 'server' | null };
  /** Share of the limits in use after a slow-down: 1 normally. */
  rateScale: number;
}

const lowestScale = 1 / 8;

/** Both buckets, the token-estimate calibration and the slow-down ramp. */
export class RateBudget {
  private readonly buckets: Partial<Record<LimitKind, TokenBucket>> = {};
  private readonly explicit: Record<LimitKind, boolean>;
  /** The limit the server last reported, in its own units, to turn `remaining` into a share. */
  private readonly serverLimit: Partial<Record<LimitKind, number>> = {};
  private readonly margins: BucketMargins;
  private readonly rampPerMs: number;
  private readonly share: number;
  /** Actual prompt tokens per estimated one, learned from `usage`. */
  private calibration = 1;
  private calibrated = false;
  private scaleAtCut = 1;
  private changeCount = 0;
  private cutAt = 0;

  constructor(options: RateBudgetOptions, at: number) {
    this.margins = options.margins ?? DEFAULT_MARGINS;
    this.rampPerMs = options.rampPerMs ?? 0.02 / 1000;
    this.share = options.share ?? 1;
    this.explicit = { requests: options.rpm !== undefined, tokens: options.tpm !== undefined };
    if (options.rpm !== undefined) this.buckets.requests = new TokenBucket(options.rpm, at, 1, this.margins);
    if (options.tpm !== undefined) this.buckets.tokens = new TokenBucket(options.tpm, at, 0, this.margins);
  }

  /** Counts changes of the limits and slow-downs, so watchers can tell cheaply that something moved. */
  get changes(): number {
    return this.changeCount;
  }

  /** True when both limits came from flags: there is nothing to learn before sending. */
  get fullyGiven(): boolean {
    return this.explicit.requests && this.explicit.tokens;
  }

  /** Tokens to charge a request: the prompt estimate scaled by what `usage` taught us, plus its output. */
  charge(estimate: TokenEstimate): number {
    return Math.ceil(estimate.promptTokens * this.calibration) + estimate.completionTokens;
  }

  /** Ms until a request of `tokens` may be sent, and the limit it waits for; 0 ms when it may go now. */
  wait(tokens: number, at: number): { ms: number; kind: LimitKind } {
    this.applyScale(at);
    const requests = this.buckets.requests?.waitMs(1, at) ?? 0;
    const tokenWait = this.buckets.tokens?.waitMs(tokens, at) ?? 0;
    return tokenWait > requests ? { ms: tokenWait, kind: 'tokens' } : { ms: requests, kind: 'requests' };
  }

  /** Charges one request of `tokens`. */
  take(tokens: number, at: number): void {
    this.buckets.requests?.take(1, at);
    this.buckets.tokens?.take(tokens, at);
  }

  /** Learns limits a response reports and lowers a bucket the server says is emptier than ours. */
  learn(hints: RateHints, at: number): boolean {
    const a = this.learnOne('requests', hints.requests, at);
    const b = this.learnOne('tokens', hints.tokens, at);
    if (a || b) this.changeCount++;
    return a || b;
  }

  /**
   * Squares a sent request with its `usage`: learns how our prompt estimate compares with the
   * server's count, and corrects the token bucket by what the estimate got wrong.
   */
  settle(estimate: TokenEstimate, charged: number, actualPromptTokens: number | undefined, at: number): void {
    if (actualPromptTokens === undefined || actualPromptTokens <= 0 || estimate.promptTokens <= 0) return;
    const ratio = Math.min(4, Math.max(0.25, actualPromptTokens / estimate.promptTokens));
    this.calibration = this.calibrated ? 0.7 * this.calibration + 0.3 * ratio : ratio;
    this.calibrated = true;
    this.buckets.tokens?.adjust(charged - (actualPromptTokens + estimate.completionTokens), at);
  }

  /** Gives back a request's tokens the server never counted (it refused the request as too large). */
  refundTokens(tokens: number, at: number): void {
    this.buckets.tokens?.adjust(tokens, at);
  }

  /** The server refused for this limit: our bucket for it is at best empty. */
  empty(kind: LimitKind, at: number): void {
    this.buckets[kind]?.capAtShare(0, at);
  }

  /** Halves the rate (slow_down, 503); it ramps back to the full limit over the next seconds. */
  slowDown(at: number): void {
    this.scaleAtCut = Math.max(lowestScale, this.scaleAt(at) / 2);
    this.cutAt = at;
    this.changeCount++;
    this.applyScale(at);
  }

  /**
   * What the server's reset header implies about when `need` more of a limit fits: the header is
   * the time until the bucket is *full*, so the wait for part of it is that share of the time.
   */
  hintedWaitMs(kind: LimitKind, hint: LimitHint, need: number): number | undefined {
    const limit = hint.limit ?? this.serverLimit[kind];
    if (hint.resetMs === undefined || limit === undefined) return undefined;
    const remaining = hint.remaining ?? 0;
    if (remaining >= Math.min(need, limit)) return 0;
    const missing = Math.min(need, limit) - remaining;
    return hint.resetMs * Math.min(1, missing / Math.max(1, limit - remaining));
  }

  /** The limits in force now. */
  limits(at: number): BudgetLimits {
    const source = (kind: LimitKind) => (this.buckets[kind] ? (this.explicit[kind] ? 'flag' : 'server') : null);
    return {
      rpm: this.buckets.requests?.limitPerMinute ?? null,
      tpm: this.buckets.tokens?.limitPerMinute ?? null,
      source: { rpm: source('requests'), tpm: source('tokens') },
      rateScale: this.scaleAt(at),
    };
  }

  private learnOne(kind: LimitKind, hint: LimitHint, at: number): boolean {
    let changed = false;
    if (hint.limit !== undefined) {
      this.serverLimit[kind] = hint.limit;
      const planned = hint.limit * this.share;
      const bucket = this.buckets[kind];
      if (!bucket) {
        this.buckets[kind] = new TokenBucket(planned, at, kind === 'requests' ? 1 : 0, this.margins);
        this.applyScale(at);
        changed = true;
      } else if (!this.explicit[kind] && bucket.limitPerMinute !== planned) {
        bucket.setLimit(planned, at);
        changed = true;
      }
    }
    const serverLimit = this.serverLimit[kind];
    // What is left at the server is left for every process on the key: this bucket keeps at most
    // its share of it (the same share of its own, already scaled, capacity).
    if (hint.remaining !== undefined && serverLimit !== undefined) {
      this.buckets[kind]?.capAtShare(hint.remaining / serverLimit, at);
    }
    return changed;
  }

  private scaleAt(at: number): number {
    return Math.min(1, this.scaleAtCut + Math.max(0, at - this.cutAt) * this.rampPerMs);
  }

  private applyScale(at: number): void {
    const scale = this.scaleAt(at);
    this.buckets.requests?.setRateScale(scale, at);
    this.buckets.tokens?.setRateScale(scale, at);
  }
}
