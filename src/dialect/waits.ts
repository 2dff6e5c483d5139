/**
 * How long the server asked us to wait before trying again, wherever it said so: the standard
 * headers first, then the places some servers use instead of headers.
 */
import type { ServerError } from './error-body.js';
import { retryAfterMs, type HeaderReader } from './retry-after.js';

/** A wait the server asked for, and where it said so (shown beside a long wait). */
export interface ServerWait {
  ms: number;
  source: 'retry-after-ms' | 'retry-after' | 'RetryInfo.retryDelay' | 'metadata.headers X-RateLimit-Reset';
}

/**
 * In order: `retry-after-ms` (Azure; what openai-node reads first), `retry-after` (RFC 9110 §10.2.3:
 * seconds or an HTTP date), Gemini's `RetryInfo.retryDelay` in the body (its OpenAI layer sends no
 * header: ai.google.dev/gemini-api/docs/rate-limits), and OpenRouter's `error.metadata.headers`
 * `X-RateLimit-Reset`, a Unix time in ms (openrouter.ai/docs/api-reference/limits).
 */
export function serverWait(error: ServerError | undefined, headers: HeaderReader | undefined, nowEpochMs: number = Date.now()): ServerWait | undefined {
  if (headers) {
    const fromHeader = retryAfterMs(headers, nowEpochMs);
    if (fromHeader !== undefined) {
      const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
      return { ms: fromHeader, source: Number.isFinite(ms) && ms >= 0 ? 'retry-after-ms' : 'retry-after' };
    }
  }
  if (error?.retryDelayMs !== undefined) return { ms: error.retryDelayMs, source: 'RetryInfo.retryDelay' };
  const reset = error?.rateHeaders?.['x-ratelimit-reset'];
  const at = reset === undefined ? Number.NaN : Number(reset);
  if (Number.isFinite(at) && at > 0) {
    // Ms since the epoch as OpenRouter documents it; ten digits would be seconds, read as such.
    const epochMs = at >= 1e12 ? at : at * 1000;
    return { ms: Math.max(0, epochMs - nowEpochMs), source: 'metadata.headers X-RateLimit-Reset' };
  }
  return undefined;
}
