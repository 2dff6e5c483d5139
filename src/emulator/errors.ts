/**
 * OpenAI-shaped error replies. Messages follow the wording of the real API so clients that log
 * them look the same against either; clients must classify by status, type and code, not text.
 */
import { formatGoDuration, type BudgetDecision } from './budget.js';
import type { Reply } from './http-io.js';

/** The organization named in rate-limit messages. */
export const emulatorOrganization = 'org-emulator';

const keysPage = 'https://platform.openai.com/account/api-keys';

/** `{error:{message, type, param, code}}` with the given status and headers. */
export function errorReply(
  status: number,
  error: { message: string; type: string; param?: string | null; code?: string | null },
  headers?: Record<string, string>,
): Reply {
  const body = { error: { message: error.message, type: error.type, param: error.param ?? null, code: error.code ?? null } };
  return headers ? { type: 'json', status, body, headers } : { type: 'json', status, body };
}

/** 401 for a wrong key; the message echoes the key exactly as sent (a worst case clients must redact). */
export function invalidApiKey(keyAsSent: string): Reply {
  return errorReply(401, {
    message: `Incorrect API key provided: ${keyAsSent}. You can find your API key at ${keysPage}.`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });
}

/** 401 for a request without a bearer token. */
export function missingApiKey(): Reply {
  return errorReply(401, {
    message:
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth " +
      `(i.e. Authorization: Bearer YOUR_KEY). You can obtain an API key from ${keysPage}.`,
    type: 'invalid_request_error',
    code: 'invalid_api_key',
  });
}

/** 400 invalid_request_error. */
export function invalidRequest(message: string, param: string | null = null, code: string | null = null): Reply {
  return errorReply(400, { message, type: 'invalid_request_error', param, code });
}

/** 400 for a body that is not JSON. */
export function unparsableBody(): Reply {
  return invalidRequest(
    'We could not parse the JSON body of your request. (HINT: This likely means you aren\'t using your HTTP library ' +
      'correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)',
  );
}

/** 413 for a body over the size limit. */
export function bodyTooLarge(): Reply {
  return errorReply(413, { message: 'Request body too large.', type: 'invalid_request_error' });
}

/** 404 for a path the emulator does not serve. */
export function notFound(method: string, path: string): Reply {
  return errorReply(404, { message: `Invalid URL (${method} ${path})`, type: 'invalid_request_error' });
}

/** 500-class server error. */
export function serverError(status = 500): Reply {
  return errorReply(status, {
    message: 'The server had an error while processing your request. Sorry about that!',
    type: 'server_error',
  });
}

/** 503 server_is_overloaded. */
export function overloaded(): Reply {
  return errorReply(503, {
    message: 'The server is overloaded or not ready yet.',
    type: 'service_unavailable_error',
    code: 'server_is_overloaded',
  });
}

/** 429 insufficient_quota: no retry will help. */
export function insufficientQuota(): Reply {
  return errorReply(429, {
    message:
      'You exceeded your current quota, please check your plan and billing details. For more information on this ' +
      'error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    type: 'insufficient_quota',
    code: 'insufficient_quota',
  });
}

/** Both retry hints: `retry-after-ms` (read first by openai-node) and `retry-after` in whole seconds. */
export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return { 'retry-after-ms': String(retryAfterMs), 'retry-after': String(Math.ceil(retryAfterMs / 1000)) };
}

/** 429 rate_limit_exceeded on requests, as an injected fault (no real budget behind it). */
export function rateLimitFault(model: string, retryAfterMs: number, limitPerMinute: number): Reply {
  return errorReply(
    429,
    {
      message:
        `Rate limit reached for ${model} in organization ${emulatorOrganization} on requests per min (RPM): ` +
        `Limit ${limitPerMinute}, Used ${limitPerMinute}, Requested 1. Please try again in ${formatGoDuration(retryAfterMs)}.`,
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
    retryAfterHeaders(retryAfterMs),
  );
}

/** 429 from the RPM/TPM budget: a retryable refusal, or "Request too large" which never passes. */
export function budgetRefusal(model: string, decision: Exclude<BudgetDecision, { ok: true }>): Reply {
  const per = decision.kind === 'requests' ? 'requests per min (RPM)' : 'tokens per min (TPM)';
  if (decision.tooLarge) {
    return errorReply(429, {
      message:
        `Request too large for ${model} in organization ${emulatorOrganization} on ${per}: ` +
        `Limit ${decision.limitPerMinute}, Requested ${decision.requested}. The input or output tokens must be ` +
        'reduced in order to run successfully. Visit https://platform.openai.com/account/rate-limits to learn more.',
      type: decision.kind,
      code: 'rate_limit_exceeded',
    });
  }
  return errorReply(
    429,
    {
      message:
        `Rate limit reached for ${model} in organization ${emulatorOrganization} on ${per}: ` +
        `Limit ${decision.limitPerMinute}, Used ${decision.used}, Requested ${decision.requested}. ` +
        `Please try again in ${formatGoDuration(decision.retryAfterMs)}. ` +
        'Visit https://platform.openai.com/account/rate-limits to learn more.',
      type: decision.kind,
      code: 'rate_limit_exceeded',
    },
    retryAfterHeaders(decision.retryAfterMs),
  );
}
