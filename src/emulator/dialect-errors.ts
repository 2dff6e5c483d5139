/**
 * Error answers written the way other servers write them, so verdict can be tested against each
 * shape it will meet. The sources of each shape are in src/dialect/error-body.ts and docs/servers.md.
 */
import type { Reply } from './http-io.js';
import type { ErrorDialect } from './types.js';

/** An error as the emulator means it, before a dialect writes it. */
export interface EmulatedError {
  status: number;
  message: string;
  /** OpenAI-style type; other dialects derive their own from the status. */
  type: string;
  code?: string | null;
  param?: string | null;
  /** The wait to ask for, written where this dialect writes it (a header, or the body). */
  waitMs?: number;
  /** Gemini QuotaFailure `quotaId` of the quota that ran out. */
  quotaId?: string;
  /** Gemini ErrorInfo `reason`. */
  reason?: string;
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

const GOOGLE_STATUSES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
};

const VLLM_TYPES: Record<number, string> = { 400: 'BadRequestError', 401: 'Unauthorized', 404: 'NotFoundError', 429: 'RateLimitError', 503: 'ServiceUnavailableError' };

/** `error` written in `dialect`, with the wait (if any) where that dialect says it. */
export function dialectErrorReply(dialect: ErrorDialect, error: EmulatedError): Reply {
  const { status, message } = error;
  const waitSeconds = error.waitMs === undefined ? undefined : String(Math.max(1, Math.ceil(error.waitMs / 1000)));
  const retryAfter = waitSeconds ? { 'retry-after': waitSeconds } : undefined;
  const withWait = (body: unknown, headers?: Record<string, string>): Reply => ({
    type: 'json',
    status,
    body,
    ...(headers ? { headers } : {}),
    ...(error.waitMs !== undefined ? { announcedWaitMs: error.waitMs } : {}),
  });
  switch (dialect) {
    case 'openai': {
      const body = { error: { message, type: error.type, param: error.param ?? null, code: error.code ?? null } };
      const headers = error.waitMs === undefined ? undefined : { 'retry-after-ms': String(error.waitMs), 'retry-after': waitSeconds! };
      return withWait(body, headers);
    }
    case 'anthropic': {
      // platform.claude.com/docs/en/api/errors: the type is per status; a spend cap adds details.error_code.
      const spend = error.code === 'enforced_spend_limit_reached' ? { details: { error_code: error.code } } : {};
      const body = { type: 'error', error: { type: ANTHROPIC_TYPES[status] ?? 'api_error', message, ...spend } };
      return withWait(body, waitSeconds ? { 'retry-after': waitSeconds } : undefined);
    }
    case 'gemini': {
      // An array of one error, the wait in RetryInfo and no retry-after header (ai.google.dev/gemini-api/docs/openai).
      const details: unknown[] = [];
      if (error.quotaId) {
        details.push({
          '@type': 'type.googleapis.com/google.rpc.QuotaFailure',
          violations: [{ quotaMetric: 'generativelanguage.googleapis.com/generate_content_free_tier_requests', quotaId: error.quotaId }],
        });
      }
      if (error.reason) details.push({ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: error.reason, domain: 'googleapis.com' });
      if (error.waitMs !== undefined) details.push({ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: `${error.waitMs / 1000}s` });
      return withWait([{ error: { code: status, message, status: GOOGLE_STATUSES[status] ?? 'UNKNOWN', ...(details.length ? { details } : {}) } }]);
    }
    case 'mistral':
      return withWait({ object: 'error', message, type: error.type, param: error.param ?? null, code: null }, waitSeconds ? { 'retry-after': waitSeconds } : undefined);
    // Local servers queue rather than rate-limit; a wait, when one is asked for, is plain HTTP retry-after.
    case 'vllm':
      return withWait({ object: 'error', message, type: VLLM_TYPES[status] ?? 'InternalServerError', param: error.param ?? null, code: status }, retryAfter);
    case 'llamacpp':
      return withWait({ error: { code: status, message, type: error.type } }, retryAfter);
    case 'openrouter': {
      // The upstream's limits travel in the body, the reset as Unix ms (openrouter.ai/docs/api-reference/errors).
      const metadata =
        error.waitMs === undefined
          ? undefined
          : { headers: { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(Date.now() + error.waitMs) } };
      return withWait({ error: { code: status, message, ...(metadata ? { metadata } : {}) } });
    }
    case 'lmstudio':
      return withWait({ error: message }, retryAfter);
  }
}

/** LM Studio's answer to a path it does not serve: HTTP 200 (lmstudio-ai/lmstudio-bug-tracker#618). */
export function unexpectedEndpoint(method: string, path: string): Reply {
  return { type: 'json', status: 200, body: { error: `Unexpected endpoint or method. (${method} ${path})` } };
}
