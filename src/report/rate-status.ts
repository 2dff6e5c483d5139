import type { RunEvent } from '../run/events.js';
import type { WaitReason } from '../scheduler/request-gate.js';
import { integer } from './format.js';

/** The current pace of a run against its limits, as the progress bar and the CI log show it. */
export interface RateSnapshot {
  /** Requests and tokens charged per minute, over the last minute; never above a known limit. */
  rpm: number;
  tpm: number;
  limits: { rpm: number | null; tpm: number | null };
  concurrency: { current: number; max: number } | null;
  learning: boolean;
  /** Dispatch is waiting for the budget or a cooldown now: why, and for how much longer. */
  waiting: { reason: WaitReason; remainingMs: number } | null;
}

/** The pace is counted over a minute, the span a per-minute limit is kept over. */
const windowSeconds = 60;
/** Budget waits shorter than this are pacing, not news: they are shown, never logged. */
const loggedBudgetWaitMs = 5_000;
const loggedCooldownMs = 1_000;

/**
 * Folds `request`, `waiting` and `limits` events into a snapshot. Rates are counted in one-second
 * bins over the last minute, so a run of thousands of requests a second costs sixty numbers.
 */
export class RateStatus {
  private readonly bins = new Map<number, { requests: number; tokens: number }>();
  private firstRequestAt: number | undefined;
  private limits: RateSnapshot['limits'] = { rpm: null, tpm: null };
  private concurrency: RateSnapshot['concurrency'] = null;
  private learning = false;
  private wait: { reason: WaitReason; until: number } | undefined;

  constructor(private readonly now: () => number) {}

  /** Takes one run event; returns a line worth logging on its own, if the event is news. */
  onEvent(event: RunEvent): string | undefined {
    const at = this.now();
    switch (event.type) {
      case 'request': {
        // A request going out means the wait is over, whatever was forecast.
        this.wait = undefined;
        this.firstRequestAt ??= at;
        const second = Math.floor(at / 1000);
        const bin = this.bins.get(second) ?? { requests: 0, tokens: 0 };
        bin.requests++;
        bin.tokens += event.tokens ?? 0;
        this.bins.set(second, bin);
        for (const key of this.bins.keys()) if (key <= second - windowSeconds) this.bins.delete(key);
        return undefined;
      }
      case 'waiting': {
        this.wait = { reason: event.reason, until: at + event.ms };
        if (event.reason === 'cooldown' && event.ms >= loggedCooldownMs) {
          // Not every cooldown is a 429 (a 503 or 529 that names a wait pauses too); the reason says which.
          const paused = `every request paused for ${seconds(event.ms)}`;
          return event.why ? `server asked to wait: ${paused} (${event.why})` : `rate limited (429): ${paused}`;
        }
        if (event.reason !== 'cooldown' && event.ms >= loggedBudgetWaitMs) {
          return `waiting ${seconds(event.ms)} for the ${event.reason === 'tokens' ? 'token' : 'request'} budget`;
        }
        return undefined;
      }
      case 'limits': {
        const learned = (this.limits.rpm === null && event.rpm !== null) || (this.limits.tpm === null && event.tpm !== null);
        this.limits = { rpm: event.rpm, tpm: event.tpm };
        this.concurrency = { current: event.concurrency, max: event.maxConcurrency };
        this.learning = event.learning;
        if (!learned || (event.source.rpm !== 'server' && event.source.tpm !== 'server')) return undefined;
        return `rate limits from the server: ${describeLimits(this.limits)}`;
      }
      default:
        return undefined;
    }
  }

  /** Where the run stands now. */
  snapshot(): RateSnapshot {
    const at = this.now();
    const second = Math.floor(at / 1000);
    let requests = 0;
    let tokens = 0;
    for (const [key, bin] of this.bins) {
      if (key <= second - windowSeconds) continue;
      requests += bin.requests;
      tokens += bin.tokens;
    }
    // The time the counted bins span: from the oldest one's start (or the first request) to now.
    const from = Math.max((second - windowSeconds + 1) * 1000, this.firstRequestAt ?? at);
    const spanMinutes = Math.max(1000, at - from) / 60_000;
    const waiting = this.wait && this.wait.until > at ? { reason: this.wait.reason, remainingMs: this.wait.until - at } : null;
    return {
      rpm: atMost(requests / spanMinutes, this.limits.rpm),
      tpm: atMost(tokens / spanMinutes, this.limits.tpm),
      limits: this.limits,
      concurrency: this.concurrency,
      learning: this.learning,
      waiting,
    };
  }
}

/**
 * The gate keeps to a limit over any minute, but sends up to about a second's share at once (see
 * TokenBucket), so less than a minute after the start or a pause a measured rate can exceed the
 * limit by that burst: an artefact of the measure, not the pace, so the figure stops at the limit.
 */
function atMost(perMinute: number, limit: number | null): number {
  return limit === null ? perMinute : Math.min(perMinute, limit);
}

/** "rpm 588/600, tpm 35k/60k, concurrency 8/8": the pace against the limits (`compact` for the bar). */
export function formatRates(snapshot: RateSnapshot, compactForm = false): string {
  const separator = compactForm ? ' ' : ', ';
  const parts = [
    `rpm ${Math.round(snapshot.rpm)}${snapshot.limits.rpm === null ? '' : `/${compact(snapshot.limits.rpm)}`}`,
    `tpm ${compact(snapshot.tpm)}${snapshot.limits.tpm === null ? '' : `/${compact(snapshot.limits.tpm)}`}`,
  ];
  if (snapshot.concurrency) parts.push(`${compactForm ? 'conc' : 'concurrency'} ${snapshot.concurrency.current}/${snapshot.concurrency.max}`);
  return parts.join(separator);
}

/** "waiting for rate limit 2.3s (429 cooldown)", or undefined when dispatch is not waiting. */
export function formatWaiting(snapshot: RateSnapshot, shortestMs = 0): string | undefined {
  const wait = snapshot.waiting;
  if (!wait || wait.remainingMs < shortestMs) return undefined;
  const why = wait.reason === 'cooldown' ? '429 cooldown' : wait.reason === 'tokens' ? 'tokens' : 'requests';
  return `waiting for rate limit ${seconds(wait.remainingMs)} (${why})`;
}

function describeLimits(limits: RateSnapshot['limits']): string {
  const parts: string[] = [];
  if (limits.rpm !== null) parts.push(`${integer(limits.rpm)} requests/min`);
  if (limits.tpm !== null) parts.push(`${integer(limits.tpm)} tokens/min`);
  return parts.join(', ');
}

function compact(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(Math.round(n));
}

/** "2.3s"; waits of a minute and more also in minutes and hours, so a long one reads as long. */
function seconds(ms: number): string {
  const text = `${(ms / 1000).toFixed(1)}s`;
  if (ms < 60_000) return text;
  const minutes = Math.round(ms / 60_000);
  return minutes < 120 ? `${text} (${minutes} min)` : `${text} (${(ms / 3_600_000).toFixed(1)} h)`;
}
