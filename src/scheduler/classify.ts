import { APIConnectionError, APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import { answerMeaning } from '../dialect/api-error.js';
import type { ServerWait } from '../dialect/waits.js';
import type { ErrorCode } from '../results/record.js';

/** What to do after a failed attempt. Policy is a value, so it is tested as a table. */
export type RetryDecision =
  | { action: 'retry'; code: ErrorCode; message: string; retryAfterMs?: number; waitSource?: ServerWait['source']; rateLimited: boolean }
  | { action: 'fail-row'; code: ErrorCode; message: string }
  | { action: 'stop-run'; code: ErrorCode; message: string; hint: string }
  | { action: 'abort'; code: 'cancelled'; message: string };

/** What the classifier may know about the request that failed. */
export interface FailedRequestContext {
  /** Tokens the rate limiter would count for this request (prompt estimate + max completion). */
  estimatedTokens?: number;
  /** True when the run is being cancelled: the failure is ours, not the server's. */
  aborted?: boolean;
}

/**
 * The retry policy. What a server's answer means is the dialect layer's to read (src/dialect:
 * status, type and code in whatever shape the server sent them); this decides what to do about it.
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
  const meaning = answerMeaning(error, { estimatedTokens: context.estimatedTokens });
  if (!meaning) return { action: 'fail-row', code: 'unknown_error', message: String((error as Error)?.message ?? error) };
  const { message } = meaning;
  const wait = meaning.wait ? { retryAfterMs: meaning.wait.ms, waitSource: meaning.wait.source } : {};
  switch (meaning.kind) {
    case 'stop':
      return { action: 'stop-run', code: meaning.code, message, hint: meaning.hint };
    case 'rate_limited':
      return { action: 'retry', code: 'rate_limited', message, ...wait, rateLimited: true };
    case 'overloaded':
    case 'server_error':
      return { action: 'retry', code: 'server_error', message, ...wait, rateLimited: false };
    case 'timeout':
      return { action: 'retry', code: 'timeout', message, rateLimited: false };
    case 'too_large':
      return { action: 'fail-row', code: 'request_too_large', message };
    case 'row':
      return { action: 'fail-row', code: meaning.code, message };
  }
}

function describeConnectionError(error: APIConnectionError): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? `connection failed (${cause.code})` : error.message;
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
