/**
 * Reads the rate-limit headers of OpenAI and the servers that imitate it, each in its own names.
 * Every value is a hint: some responses lack them, Azure has sent -1 and 0, and compatible servers
 * send seconds, Unix times or dates in the reset ones. Whatever does not read as a sensible figure
 * is left out rather than reported as an error.
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

/** Where one dialect puts one limit's three figures. */
interface LimitHeaders {
  limit: string;
  remaining: string;
  reset?: string;
}

/**
 * The dialects, in the order they are tried; for each limit the first whose headers are present
 * wins. Each is documented where named:
 * - OpenAI: developers.openai.com/api/docs/guides/rate-limits ("Rate limits in headers");
 * - LiteLLM proxy: the provider's headers forwarded as `llm_provider-…` (docs.litellm.ai/docs/proxy/response_headers);
 * - Mistral: `x-ratelimit-{limit,remaining}-{req,tokens}-minute`, no reset (mistralai/client-ts#169 shows them);
 * - Anthropic: `anthropic-ratelimit-{requests,tokens}-{limit,remaining,reset}`, resets in RFC 3339
 *   (platform.claude.com/docs/en/api/rate-limits, "Response headers").
 */
const DIALECTS: ReadonlyArray<Record<'requests' | 'tokens', LimitHeaders>> = [
  {
    requests: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
    tokens: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
  },
  {
    requests: { limit: 'llm_provider-x-ratelimit-limit-requests', remaining: 'llm_provider-x-ratelimit-remaining-requests', reset: 'llm_provider-x-ratelimit-reset-requests' },
    tokens: { limit: 'llm_provider-x-ratelimit-limit-tokens', remaining: 'llm_provider-x-ratelimit-remaining-tokens', reset: 'llm_provider-x-ratelimit-reset-tokens' },
  },
  {
    requests: { limit: 'x-ratelimit-limit-req-minute', remaining: 'x-ratelimit-remaining-req-minute' },
    tokens: { limit: 'x-ratelimit-limit-tokens-minute', remaining: 'x-ratelimit-remaining-tokens-minute' },
  },
  {
    requests: { limit: 'anthropic-ratelimit-requests-limit', remaining: 'anthropic-ratelimit-requests-remaining', reset: 'anthropic-ratelimit-requests-reset' },
    tokens: { limit: 'anthropic-ratelimit-tokens-limit', remaining: 'anthropic-ratelimit-tokens-remaining', reset: 'anthropic-ratelimit-tokens-reset' },
  },
];

function limitHint(headers: HeaderReader, kind: 'requests' | 'tokens', nowEpochMs: number): LimitHint {
  const names = DIALECTS.map((dialect) => dialect[kind]).find((n) => [n.limit, n.remaining, n.reset].some((name) => name && headers.get(name) !== null));
  if (!names) return {};
  const hint: LimitHint = {};
  // A limit of 0 or below (Azure sends -1 and 0: openai/openai-dotnet#838) is no figure at all,
  // and neither are the remaining and reset beside it.
  const rawLimit = headers.get(names.limit)?.trim();
  if (rawLimit !== undefined && rawLimit !== '' && Number(rawLimit) <= 0) return {};
  const limit = count(headers, names.limit, 1);
  const remaining = count(headers, names.remaining, 0);
  const reset = names.reset ? headers.get(names.reset) : null;
  const resetMs = reset == null ? undefined : parseResetMs(reset, nowEpochMs);
  if (limit !== undefined) hint.limit = limit;
  // More left than the limit is a header from another scheme; ignore it rather than trust it.
  if (remaining !== undefined && (limit === undefined || remaining <= limit)) hint.remaining = remaining;
  if (resetMs !== undefined) hint.resetMs = resetMs;
  return hint;
}

/** The rate-limit hints in a response's headers, in any known dialect; what was not sent is absent. */
export function parseRateHeaders(headers: HeaderReader | undefined, nowEpochMs: number = Date.now()): RateHints {
  if (!headers) return { requests: {}, tokens: {} };
  // Groq's `x-ratelimit-*-requests` count requests per *day*, its tokens per minute
  // (console.groq.com/docs/rate-limits): a daily count is no per-minute limit to pace by.
  const perDayRequests = headers.get('x-groq-region') !== null;
  return {
    requests: perDayRequests ? {} : limitHint(headers, 'requests', nowEpochMs),
    tokens: limitHint(headers, 'tokens', nowEpochMs),
  };
}

/** True when the headers hold any usable rate-limit figure. */
export function hasRateHints(hints: RateHints): boolean {
  return Object.keys(hints.requests).length > 0 || Object.keys(hints.tokens).length > 0;
}
