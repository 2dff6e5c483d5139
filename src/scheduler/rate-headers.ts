/**
 * Reads OpenAI's `x-ratelimit-*` headers. Every value is a hint: some responses lack them, Azure
 * has sent -1 and 0, and compatible servers send seconds, Unix times or dates in the reset ones.
 * Whatever does not read as a sensible figure is left out rather than reported as an error.
 */
import type { HeaderReader } from './retry-after.js';

/** What a response says about one limit; each field only when the server sent a usable value. */
export interface LimitHint {
  /** The per-minute limit. */
  limit?: number;
  /** How much of it is left now. */
  remaining?: number;
  /** Ms until the limit is full again (not until one more request fits). */
  resetMs?: number;
}

/** The request and token limits a response reports. */
export interface RateHints {
  requests: LimitHint;
  tokens: LimitHint;
}

const unitMs: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ns: 1e-6 };
// `ms` before `m` and `s`: otherwise "20ms" would read as 20 minutes followed by garbage.
const durationPart = /(\d+(?:\.\d*)?|\.\d+)(ms|us|µs|μs|ns|h|m|s)/y;

/**
 * Parses a Go duration as OpenAI writes its reset headers (`20ms`, `8.64s`, `6m0s`, `1h32m15s`)
 * into ms; undefined for anything else, negative durations included.
 */
export function parseGoDuration(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed === '0') return 0;
  if (trimmed === '') return undefined;
  durationPart.lastIndex = 0;
  let total = 0;
  while (durationPart.lastIndex < trimmed.length) {
    const start = durationPart.lastIndex;
    const match = durationPart.exec(trimmed);
    if (!match || match.index !== start) return undefined;
    total += Number.parseFloat(match[1]!) * unitMs[match[2]!]!;
  }
  return Number.isFinite(total) ? total : undefined;
}

/**
 * A reset header in ms from now: a Go duration, a bare number of seconds, a Unix time in seconds
 * (what some compatible servers send) or an HTTP/ISO date. Undefined when it is none of those.
 */
export function parseResetMs(text: string, nowEpochMs: number = Date.now()): number | undefined {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number.parseFloat(trimmed);
    // Ten digits and more is a point in time, not a wait: no limit resets in 30 years.
    return seconds >= 1e9 ? Math.max(0, seconds * 1000 - nowEpochMs) : seconds * 1000;
  }
  const duration = parseGoDuration(trimmed);
  if (duration !== undefined) return duration;
  if (!/^\d{4}-\d\d-\d\d|[A-Za-z]{3},/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isFinite(date) ? Math.max(0, date - nowEpochMs) : undefined;
}

function count(headers: HeaderReader, name: string, atLeast: number): number | undefined {
  const raw = headers.get(name)?.trim();
  if (!raw || !/^\d+(\.\d+)?$/.test(raw)) return undefined;
  const value = Number.parseFloat(raw);
  return Number.isFinite(value) && value >= atLeast ? value : undefined;
}

function limitHint(headers: HeaderReader, kind: 'requests' | 'tokens', nowEpochMs: number): LimitHint {
  const hint: LimitHint = {};
  // A limit of 0 (Azure) would mean "send nothing ever": it is a missing figure, not a limit.
  const limit = count(headers, `x-ratelimit-limit-${kind}`, 1);
  const remaining = count(headers, `x-ratelimit-remaining-${kind}`, 0);
  const reset = headers.get(`x-ratelimit-reset-${kind}`);
  const resetMs = reset == null ? undefined : parseResetMs(reset, nowEpochMs);
  if (limit !== undefined) hint.limit = limit;
  // More left than the limit is a header from another scheme; ignore it rather than trust it.
  if (remaining !== undefined && (limit === undefined || remaining <= limit)) hint.remaining = remaining;
  if (resetMs !== undefined) hint.resetMs = resetMs;
  return hint;
}

/** The `x-ratelimit-*` hints in a response's headers; fields the server did not send are absent. */
export function parseRateHeaders(headers: HeaderReader | undefined, nowEpochMs: number = Date.now()): RateHints {
  if (!headers) return { requests: {}, tokens: {} };
  return { requests: limitHint(headers, 'requests', nowEpochMs), tokens: limitHint(headers, 'tokens', nowEpochMs) };
}

/** True when the headers hold any usable rate-limit figure. */
export function hasRateHints(hints: RateHints): boolean {
  return Object.keys(hints.requests).length > 0 || Object.keys(hints.tokens).length > 0;
}
