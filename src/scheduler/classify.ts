import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from 'openai';
import type { ErrorCode } from '../results/record.js';
import { retryAfterMs } from './retry-after.js';

/** What to do after a failed attempt. Policy is a value, so it is tested as a table. */
export type RetryDecision =
  | { action: 'retry'; code: ErrorCode; message: string; retryAfterMs?: number; rateLimited: boolean }
  | { action: 'fail-row'; code: ErrorCode; message: string }
  | { action: 'stop-run'; code: ErrorCode; message: string; hint: string }
  | { action: 'abort'; code: 'cancelled'; message: string };

/** 429 codes/types that mean money or quota ran out: every later request would fail the same way. */
const QUOTA_CODES = new Set([
  'insufficient_quota',
  'credit_balance_exhausted',
  'organization_spend_limit_exceeded',
  'project_spend_limit_exceeded',
  'organization_usage_limit_exceeded',
]);

/** What the classifier may know about the request that failed. */
export interface FailedRequestContext {
  /** Tokens the rate limiter would count for this request (prompt estimate + max completion). */
  estimatedTokens?: number;
  /** True when the run is being cancelled: the failure is ours, not the server's. */
  aborted?: boolean;
}

/**
 * Classifies a failed attempt by error class, HTTP status and the body's `code`/`type`, never by
 * guessing from message text (the one documented exception is marked below).
 */
export function classifyError(error: unknown, context: FailedRequestContext = {}): RetryDecision {
  if (context.aborted || error instanceof APIUserAbortError || isAbortError(error)) {
    return { action: 'abort', code: 'cancelled', message: 'cancelled' };
  }
  // The timeout class extends the connection class: test it first.
  if (error instanceof APIConnectionTimeoutError) {
    return { action: 'retry', code: 'timeout', message: 'the request timed out', rateLimited: false };
  }
  if (error instanceof APIConnectionError) {
    return { action: 'retry', code: 'connection_error', message: describeConnectionError(error), rateLimited: false };
  }
  if (!(error instanceof APIError) || error.status === undefined) {
    return { action: 'fail-row', code: 'unknown_error', message: String((error as Error)?.message ?? error) };
  }
  const message = apiMessage(error);
  const { status } = error;
  if (status === 429) return classifyTooManyRequests(error, message, context);
  if (status === 401) {
    return { action: 'stop-run', code: 'auth_error', message, hint: 'check OPENAI_API_KEY (and --base-url): the server rejected the key' };
  }
  if (status === 403) {
    return { action: 'stop-run', code: 'permission_denied', message, hint: 'the key has no access to this model or endpoint' };
  }
  if (status === 408) return { action: 'retry', code: 'timeout', message, rateLimited: false };
  if (status === 409 || status >= 500) {
    return { action: 'retry', code: 'server_error', message, retryAfterMs: retryAfterMs(error.headers), rateLimited: false };
  }
  if (status === 404) return { action: 'fail-row', code: 'not_found', message };
  return { action: 'fail-row', code: 'bad_request', message };
}

function classifyTooManyRequests(error: APIError, message: string, context: FailedRequestContext): RetryDecision {
  const codes = [error.code, error.type].filter((c): c is string => typeof c === 'string');
  if (codes.some((code) => QUOTA_CODES.has(code))) {
    return {
      action: 'stop-run',
      code: 'insufficient_quota',
      message,
      hint: 'the account is out of quota or over its spend limit; add credit or raise the limit, then rerun',
    };
  }
  if (isRequestTooLarge(error, context)) return { action: 'fail-row', code: 'request_too_large', message };
  return { action: 'retry', code: 'rate_limited', message, retryAfterMs: retryAfterMs(error.headers), rateLimited: true };
}

/**
 * A request larger than the whole tokens-per-minute limit can never succeed, yet OpenAI answers it
 * with the same 429 `rate_limit_exceeded` as a momentary limit. We know it by comparing our
 * estimate with `x-ratelimit-limit-tokens`; where that header is missing, OpenAI's documented
 * "Request too large" message on a `tokens` 429 is the only signal there is.
 */
function isRequestTooLarge(error: APIError, context: FailedRequestContext): boolean {
  const limit = Number(error.headers?.get('x-ratelimit-limit-tokens'));
  if (context.estimatedTokens !== undefined && Number.isFinite(limit) && limit > 0 && context.estimatedTokens > limit) {
    return true;
  }
  return error.type === 'tokens' && /^request too large/i.test(apiMessage(error));
}

/** The server's own message, without the SDK's "429 " status prefix. */
function apiMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message;
}

function describeConnectionError(error: APIConnectionError): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `connection failed (${cause.code})` : error.message;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
