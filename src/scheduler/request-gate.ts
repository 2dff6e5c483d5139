/**
 * The one door every HTTP request of a run goes through. A request waits here, before it is sent,
 * until the rate budget has room for it, no cooldown is in force and fewer than the adaptive
 * concurrency limit are in flight; its outcome then teaches the gate the server's limits. A 429
 * pauses everyone once, instead of every worker discovering the limit on its own.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { ConcurrencyLimit } from './concurrency-limit.js';
import type { GateFailure, GateState, GateTicket, RequestGateOptions, WaitReason } from './gate-types.js';
import { RateBudget, type LimitKind, type TokenEstimate } from './rate-budget.js';
import { hasRateHints, parseRateHeaders, type RateHints } from '../dialect/rate-headers.js';
import type { HeaderReader } from '../dialect/retry-after.js';

export type { GateFailure, GateFailureKind, GateState, GateTicket, GateWait, RequestGateOptions, WaitReason } from './gate-types.js';

interface Waiter {
  estimate: TokenEstimate;
  tokens: number;
  resolve: (ticket: GateTicket) => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** A 429 with no hint at all waits 1 s, then 2, 4 … up to this. */
const maxUnhintedCooldownMs = 32_000;

const realSleep = (ms: number, signal: AbortSignal) => sleepFor(ms, undefined, { signal }).then(() => undefined);

/** Paces, cools down and bounds the requests of one run. */
export class RequestGate {
  private readonly budget: RateBudget;
  private readonly concurrency: ConcurrencyLimit;
  private readonly queue: Waiter[] = [];
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly epochNow: () => number;
  private readonly learningDelayMs: number;
  private inFlight = 0;
  private learning: boolean;
  private cooldownUntil = -Infinity;
  /** While learning: when the next request may go, and the gap after it. */
  private learningNext = { at: Number.NEGATIVE_INFINITY, gapMs: 0 };
  private unhinted429s = 0;
  private timer: { at: number; controller: AbortController } | undefined;
  private waiting: { since: number; reason: WaitReason } | undefined;
  private waitedTotalMs = 0;

  constructor(private readonly options: RequestGateOptions) {
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
    this.epochNow = options.epochNow ?? Date.now;
    this.learningDelayMs = options.learningDelayMs ?? 250;
    this.learningNext.gapMs = this.learningDelayMs;
    this.concurrency = new ConcurrencyLimit(options.maxConcurrency);
    const budgetOptions = { margins: options.margins, rampPerMs: options.rampPerMs, rpm: options.rpm, tpm: options.tpm, share: options.share };
    this.budget = new RateBudget(budgetOptions, this.now());
    // With both limits given there is nothing to learn. Otherwise the first request goes alone and
    // its answer's headers size the budget before a burst can overrun a limit we do not know yet.
    // Alone for a while only: should that answer be slow or never come, more requests follow at
    // growing gaps, so a hung first request cannot hold the run (or a fatal error behind it) back.
    this.learning = !this.budget.fullyGiven;
  }

  /** Tokens a request of this estimate is charged (the estimate, calibrated by past `usage`). */
  charge(estimate: TokenEstimate): number {
    return this.budget.charge(estimate);
  }

  /** Waits until the request may be sent; rejects with the signal's reason if it fires first. */
  acquire(estimate: TokenEstimate, signal?: AbortSignal): Promise<GateTicket> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const tokens = this.budget.charge(estimate);
    // Nothing waiting and room now, as at most times: granted at once, with no abort listener to
    // add to the run's signal and take off again.
    if (this.queue.length === 0) {
      const at = this.now();
      if (this.delay(tokens, at) === undefined && this.inFlight < this.concurrency.current) return Promise.resolve(this.grant({ estimate, tokens }, at));
    }
    return new Promise<GateTicket>((resolve, reject) => {
      const waiter: Waiter = { estimate, tokens, resolve, reject, signal, onAbort: () => {} };
      waiter.onAbort = () => {
        const index = this.queue.indexOf(waiter);
        if (index === -1) return;
        this.queue.splice(index, 1);
        reject(signal?.reason);
        this.pump();
      };
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      this.queue.push(waiter);
      this.pump();
    });
  }

  /** Total ms dispatch has spent waiting for the budget or a cooldown. */
  waitedMs(): number {
    return this.waitedTotalMs + (this.waiting ? Math.max(0, this.now() - this.waiting.since) : 0);
  }

  /** The limits and concurrency in force now. */
  state(): GateState {
    return {
      ...this.budget.limits(this.now()),
      concurrency: this.concurrency.current,
      maxConcurrency: this.concurrency.max,
      learning: this.learning,
    };
  }

  /** Grants what can go now, in arrival order, and sets a timer for what must wait. */
  private pump(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const at = this.now();
      const wait = this.delay(head.tokens, at);
      if (wait !== undefined) {
        this.startWaiting(wait.reason, wait.ms, at);
        this.wakeAt(at + wait.ms);
        return;
      }
      this.stopWaiting(at);
      if (this.inFlight >= this.concurrency.current) return;
      this.queue.shift();
      head.signal?.removeEventListener('abort', head.onAbort);
      head.resolve(this.grant(head, at));
    }
    this.stopWaiting(this.now());
    this.cancelTimer();
  }

  /** How long a request of `tokens` must wait from `at`, and for what; undefined when it may go now (concurrency aside). */
  private delay(tokens: number, at: number): { reason: WaitReason; ms: number } | undefined {
    const cooldownMs = this.cooldownUntil - at;
    const budget = this.budget.wait(tokens, at);
    if (this.learning) budget.ms = Math.max(budget.ms, this.learningNext.at - at);
    if (cooldownMs <= 0 && budget.ms <= 0) return undefined;
    return cooldownMs >= budget.ms ? { reason: 'cooldown', ms: cooldownMs } : { reason: budget.kind, ms: budget.ms };
  }

  private grant(waiter: Pick<Waiter, 'estimate' | 'tokens'>, at: number): GateTicket {
    this.inFlight++;
    if (this.learning) {
      const first = this.learningNext.at === Number.NEGATIVE_INFINITY;
      this.learningNext = { at: at + this.learningNext.gapMs, gapMs: first ? this.learningNext.gapMs : this.learningNext.gapMs * 2 };
    }
    this.budget.take(waiter.tokens, at);
    const epoch = this.concurrency.epoch;
    // Only a request sent with the window full says the window was too small.
    const saturated = this.inFlight >= this.concurrency.current;
    let settled = false;
    const settle = (work: () => void) => {
      if (settled) return;
      settled = true;
      this.inFlight--;
      const before = this.fingerprint();
      work();
      if (this.fingerprint() !== before) this.options.onChange?.(this.state());
      this.pump();
    };
    return {
      tokens: waiter.tokens,
      succeeded: ({ headers, promptTokens }) =>
        settle(() => {
          this.learnFrom(headers, true);
          this.unhinted429s = 0;
          this.budget.settle(waiter.estimate, waiter.tokens, promptTokens, this.now());
          if (saturated) this.concurrency.increase(epoch);
        }),
      failed: (failure) => settle(() => this.onFailure(failure, waiter.tokens, epoch)),
      release: () => settle(() => {}),
    };
  }

  private onFailure(failure: GateFailure, tokens: number, epoch: number): void {
    const hints = this.learnFrom(failure.headers, failure.headers !== undefined);
    const at = this.now();
    switch (failure.kind) {
      case 'rate_limited': {
        this.concurrency.decrease(epoch);
        const ms = this.rateLimitCooldownMs(failure, hints, tokens, at);
        this.cooldown(ms, at, failure.retryAfterMs === ms ? failure.why : undefined);
        return;
      }
      case 'slow_down':
      case 'overloaded':
        // "Drop back, then ramp up slowly": less rate and less concurrency, both regrown over time.
        this.budget.slowDown(at);
        this.concurrency.decrease(epoch);
        if (failure.retryAfterMs !== undefined) this.cooldown(failure.retryAfterMs, at, failure.why);
        return;
      case 'timeout':
        this.concurrency.decrease(epoch);
        return;
      case 'too_large':
        // The server refused it outright, so it never counted against the token limit.
        this.budget.refundTokens(tokens, at);
        return;
      case 'other':
        return;
    }
  }

  /**
   * How long everyone pauses after a 429: the server's retry-after; else the time the reset header
   * implies for the exhausted limit (a share of "until full", not all of it: a `6m0s` reset with
   * plenty left is no reason to stop); else 1 s, doubling while 429s keep coming without hints.
   */
  private rateLimitCooldownMs(failure: GateFailure, hints: RateHints, tokens: number, at: number): number {
    if (failure.retryAfterMs !== undefined) {
      this.unhinted429s = 0;
      return failure.retryAfterMs;
    }
    const kinds: LimitKind[] = failure.limitType ? [failure.limitType] : ['requests', 'tokens'];
    for (const kind of kinds) this.budget.empty(kind, at);
    const hinted = kinds
      .map((kind) => this.budget.hintedWaitMs(kind, hints[kind], kind === 'requests' ? 1 : tokens))
      .filter((ms): ms is number => ms !== undefined && ms > 0);
    if (hinted.length > 0) return Math.max(...hinted);
    const ms = Math.min(maxUnhintedCooldownMs, 1000 * 2 ** this.unhinted429s);
    this.unhinted429s++;
    return ms;
  }

  private cooldown(ms: number, at: number, why?: string): void {
    const until = at + ms;
    if (!(ms > 0) || until <= this.cooldownUntil) return;
    this.cooldownUntil = until;
    this.options.onWait?.({ reason: 'cooldown', ms, ...(why ? { why } : {}) });
  }

  /** Reads a response's rate headers; any HTTP answer ends the learning phase. */
  private learnFrom(headers: HeaderReader | undefined, answered: boolean): RateHints {
    const hints = parseRateHeaders(headers, this.epochNow());
    if (hasRateHints(hints)) this.budget.learn(hints, this.now());
    if (answered) this.learning = false;
    return hints;
  }

  /** Changes whenever what `state()` reports changes, save the slow ramp back after a slow-down. */
  private fingerprint(): number {
    return this.budget.changes * 4_096 + this.concurrency.current * 2 + (this.learning ? 1 : 0);
  }

  private startWaiting(reason: WaitReason, ms: number, at: number): void {
    if (this.waiting?.reason === reason) return;
    if (this.waiting) this.waitedTotalMs += at - this.waiting.since;
    this.waiting = { since: at, reason };
    // A cooldown announces itself when it begins.
    if (reason !== 'cooldown') this.options.onWait?.({ reason, ms });
  }

  private stopWaiting(at: number): void {
    if (!this.waiting) return;
    this.waitedTotalMs += Math.max(0, at - this.waiting.since);
    this.waiting = undefined;
  }

  private wakeAt(at: number): void {
    if (this.timer && this.timer.at <= at) return;
    this.cancelTimer();
    const controller = new AbortController();
    const timer = { at, controller };
    this.timer = timer;
    this.sleep(Math.max(1, Math.ceil(at - this.now())), controller.signal).then(
      () => {
        if (this.timer === timer) this.timer = undefined;
        this.pump();
      },
      () => {},
    );
  }

  private cancelTimer(): void {
    this.timer?.controller.abort();
    this.timer = undefined;
  }
}

