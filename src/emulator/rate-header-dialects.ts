/**
 * The rate-limit headers an answer carries, in the names each server uses (sources in
 * src/dialect/rate-headers.ts, which reads them back, and docs/servers.md).
 */
import { formatGoDuration, openaiRateHeaders, type LimitFigures } from './budget.js';
import type { RateHeaderDialect } from './types.js';

/** Minutes in a day: Groq's request figures are per day. */
const minutesPerDay = 1_440;

/** The headers for `figures` (the limits set, as of now) in `dialect`. */
export function rateHeadersIn(dialect: RateHeaderDialect, figures: LimitFigures[], nowEpochMs: number = Date.now()): Record<string, string> {
  const headers: Record<string, string> = {};
  switch (dialect) {
    case 'none':
      return headers;
    case 'openai':
      return openaiRateHeaders(figures);
    case 'litellm':
      return openaiRateHeaders(figures, 'llm_provider-');
    case 'azure':
      // Azure has answered with -1, -1 and 0 for the token limit (openai/openai-dotnet#838).
      return { ...openaiRateHeaders(figures), 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0' };
    case 'mistral':
      for (const f of figures) {
        const unit = f.kind === 'requests' ? 'req' : 'tokens';
        headers[`x-ratelimit-limit-${unit}-minute`] = String(f.limitPerMinute);
        headers[`x-ratelimit-remaining-${unit}-minute`] = String(f.remaining);
      }
      return headers;
    case 'anthropic':
      for (const f of figures) {
        headers[`anthropic-ratelimit-${f.kind}-limit`] = String(f.limitPerMinute);
        headers[`anthropic-ratelimit-${f.kind}-remaining`] = String(f.remaining);
        headers[`anthropic-ratelimit-${f.kind}-reset`] = new Date(nowEpochMs + Math.ceil(f.resetMs / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
      }
      return headers;
    case 'groq':
      for (const f of figures) {
        const scale = f.kind === 'requests' ? minutesPerDay : 1;
        headers[`x-ratelimit-limit-${f.kind}`] = String(f.limitPerMinute * scale);
        headers[`x-ratelimit-remaining-${f.kind}`] = String(f.remaining * scale);
        headers[`x-ratelimit-reset-${f.kind}`] = formatGoDuration(f.resetMs);
      }
      return { ...headers, 'x-groq-region': 'emulator' };
  }
}
