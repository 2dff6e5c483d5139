/** The request gate's vocabulary: what it is told, what it reports, how it is built. */
import type { BudgetLimits, LimitKind } from './rate-budget.js';
import type { HeaderReader } from '../dialect/retry-after.js';
import type { BucketMargins } from './token-bucket.js';

/** Why dispatch is waiting: a 429's cooldown, or the request or token budget. */
export type WaitReason = 'cooldown' | LimitKind;

/** Dispatch started waiting (or a cooldown began): for how long, as far as the gate knows. */
export interface GateWait {
  reason: WaitReason;
  ms: number;
  /** Where the server asked for this wait, and its words (a cooldown the server asked for). */
  why?: string;
}

/** What the gate plans with now. */
export interface GateState extends BudgetLimits {
  /** Requests allowed in flight now. */
  concurrency: number;
  maxConcurrency: number;
  /** True until the first answer has told us whether the server reports its limits. */
  learning: boolean;
}

/** How a sent request failed, as far as the gate cares. */
export type GateFailureKind = 'rate_limited' | 'slow_down' | 'overloaded' | 'timeout' | 'too_large' | 'other';

/** A failed request's outcome. */
export interface GateFailure {
  kind: GateFailureKind;
  /** The wait the server asked for, wherever it said so (src/dialect/waits.ts). */
  retryAfterMs?: number;
  /** Where it said so, and its message: shown beside a long wait. */
  why?: string;
  headers?: HeaderReader;
  /** Which limit a 429 names (its error `type`), when it names one. */
  limitType?: LimitKind;
}

/** Permission to send one request; report its outcome exactly once. */
export interface GateTicket {
  /** Tokens charged to the budget for this request. */
  readonly tokens: number;
  /** The server answered: learn from its headers and `usage.prompt_tokens`. */
  succeeded(outcome: { headers?: HeaderReader; promptTokens?: number }): void;
  failed(failure: GateFailure): void;
  /** No outcome to report (the run was cancelled). */
  release(): void;
}

/** How to build a gate. */
export interface RequestGateOptions {
  /** The ceiling for requests in flight (`--concurrency`). */
  maxConcurrency: number;
  /** Limits from `--rpm` / `--tpm`; absent ones are learned from the server. */
  rpm?: number;
  tpm?: number;
  /** Share (0..1] of the learned limits this run may use (`--shard`: scheduler/shard-share.ts). */
  share?: number;
  /** Monotonic ms. */
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Wall-clock ms since the epoch, for reset headers sent as dates. */
  epochNow?: () => number;
  margins?: BucketMargins;
  rampPerMs?: number;
  /**
   * Until the first answer, the second request waits this long after the first, the third as long
   * again, and each later one twice the gap before it; default 250 ms.
   */
  learningDelayMs?: number;
  /** Dispatch began to wait, or a cooldown began. */
  onWait?: (wait: GateWait) => void;
  /** The limits, the concurrency or the learning state changed. */
  onChange?: (state: GateState) => void;
}
