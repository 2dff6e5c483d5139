/**
 * What an error answer means for the run, decided from its status, type and code (and, where a
 * provider leaves nothing else, a documented message: known-messages.ts). The retry policy
 * (scheduler/classify.ts) and the request gate act on this; neither reads a dialect itself.
 */
import type { ServerError } from './error-body.js';
import { knownMeaning } from './known-messages.js';
import type { HeaderReader } from './retry-after.js';
import { serverWait, type ServerWait } from './waits.js';

/** Why the whole run must stop: no request can succeed until a person acts. */
export type StopCode = 'auth_error' | 'permission_denied' | 'insufficient_quota' | 'not_a_chat_completion';

/** What an error answer means. */
export type ErrorMeaning = (
  | { kind: 'rate_limited'; limit?: 'requests' | 'tokens'; slowDown: boolean }
  | { kind: 'overloaded' }
  | { kind: 'server_error' }
  | { kind: 'timeout' }
  | { kind: 'too_large' }
  | { kind: 'stop'; code: StopCode; hint: string }
  | { kind: 'row'; code: 'bad_request' | 'not_found' }
) & { message: string; wait?: ServerWait };

/**
 * Types and codes that mean the money, quota or budget is gone, whatever the status: OpenAI's
 * (developers.openai.com/docs/guides/error-codes: `insufficient_quota`, and the billing codes that
 * come with it), Anthropic's monthly spend cap (`details.error_code`, platform.claude.com/docs/en/api/errors)
 * and LiteLLM's budgets (`budget_exceeded`, 422 by default or 429: docs.litellm.ai/docs/proxy/budget_exceeded_errors).
 */
const SPENT_CODES = new Set([
  'insufficient_quota',
  'credit_balance_exhausted',
  'organization_spend_limit_exceeded',
  'project_spend_limit_exceeded',
  'organization_usage_limit_exceeded',
  'enforced_spend_limit_reached',
  'budget_exceeded',
]);

const HINTS = {
  key: 'check OPENAI_API_KEY (and --base-url): the server rejected the key',
  access: 'the key has no access to this model or endpoint',
  quota: 'the account is out of quota or over its spend limit; add credit or raise the limit, then rerun',
  credit: 'the account is out of credit (HTTP 402); add credit, then rerun',
  daily: 'a per-day quota is used up (Gemini free tier); it resets daily, or move the project to a paid tier',
  dailyRequests: 'the per-day request limit is used up (Groq); it resets daily, or raise the limit with a paid tier',
} as const;

/** What the server's error answer means; `estimatedTokens` is what our limiter charged the request. */
export function meaningOf(error: ServerError, headers: HeaderReader | undefined, context: { estimatedTokens?: number; nowEpochMs?: number } = {}): ErrorMeaning {
  const { status, message } = error;
  const stop = (code: StopCode, hint: string): ErrorMeaning => ({ kind: 'stop', code, hint, message });
  if (status === 401) return stop('auth_error', HINTS.key);
  // Any 402: OpenRouter's and DeepSeek's "out of credits" (openrouter.ai/docs/api-reference/errors, api-docs.deepseek.com/quick_start/error_codes).
  if (status === 402) return stop('insufficient_quota', HINTS.credit);
  if (status === 403) return stop('permission_denied', HINTS.access);
  if (status >= 400 && status < 500 && [error.code, error.type].some((c) => c !== undefined && SPENT_CODES.has(c))) {
    return stop('insufficient_quota', HINTS.quota);
  }
  // Gemini names the quotas that ran out; a per-day one does not come back within the run
  // (ai.google.dev/gemini-api/docs/rate-limits: RPD resets at midnight Pacific).
  if (status === 429 && error.quotaIds?.some((id) => id.includes('PerDay'))) return stop('insufficient_quota', HINTS.daily);
  // Groq's x-ratelimit-*-requests count per day (console.groq.com/docs/rate-limits): a 429 with none left today is final.
  if (status === 429 && headers?.get('x-groq-region') != null && headers.get('x-ratelimit-remaining-requests')?.trim() === '0') {
    return stop('insufficient_quota', HINTS.dailyRequests);
  }
  if (error.reasons?.includes('API_KEY_INVALID')) return stop('auth_error', HINTS.key);
  const known = knownMeaning(status, message);
  if (known === 'no_credit') return stop('insufficient_quota', HINTS.quota);
  if (known === 'invalid_key') return stop('auth_error', HINTS.key);

  const wait = serverWait(error, headers, context.nowEpochMs);
  const withWait = <T extends object>(meaning: T) => ({ ...meaning, message, ...(wait ? { wait } : {}) });
  if (status === 429) {
    if (known === 'request_too_large' || largerThanTokenLimit(headers, context.estimatedTokens)) return { kind: 'too_large', message };
    const limit = error.type === 'requests' || error.type === 'tokens' ? error.type : undefined;
    return withWait({ kind: 'rate_limited' as const, slowDown: error.code === 'slow_down', ...(limit ? { limit } : {}) });
  }
  if (status === 408) return { kind: 'timeout', message };
  // 529 is Anthropic's "overloaded_error", a 503 by another number (platform.claude.com/docs/en/api/errors).
  if (status === 503 || status === 529) return withWait({ kind: 'overloaded' as const });
  if (status === 409 || status >= 500) return withWait({ kind: 'server_error' as const });
  if (status === 404) return { kind: 'row', code: 'not_found', message };
  return { kind: 'row', code: 'bad_request', message };
}

/**
 * A request larger than the whole tokens-per-minute limit can never succeed, yet OpenAI answers it
 * with the same 429 as a momentary limit: compare our estimate with `x-ratelimit-limit-tokens`.
 */
function largerThanTokenLimit(headers: HeaderReader | undefined, estimatedTokens: number | undefined): boolean {
  const limit = Number(headers?.get('x-ratelimit-limit-tokens'));
  return estimatedTokens !== undefined && Number.isFinite(limit) && limit > 0 && estimatedTokens > limit;
}
