import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { classifyError } from './classify.js';
import type { GateFailure } from './request-gate.js';
import { retryAfterMs } from './retry-after.js';

/**
 * What a failed request tells the gate: a 429 that cools everyone down, a request to slow down
 * (429 `slow_down`, 503), a timeout, a request too large to ever count, or nothing it acts on.
 * Undefined when the request never got its chance (the run was cancelled).
 */
export function gateFailureOf(error: unknown, context: { estimatedTokens?: number; aborted?: boolean } = {}): GateFailure | undefined {
  if (context.aborted || error instanceof APIUserAbortError) return undefined;
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  if (!(error instanceof APIError) || error.status === undefined) return { kind: 'other' };
  const headers = error.headers ?? undefined;
  const hint = retryAfterMs(headers);
  const answer = { ...(headers ? { headers } : {}), ...(hint !== undefined ? { retryAfterMs: hint } : {}) };
  if (error.status === 408) return { kind: 'timeout', ...answer };
  if (error.status === 503) return { kind: 'overloaded', ...answer };
  if (error.status !== 429) return { kind: 'other', ...answer };
  if (error.code === 'slow_down') return { kind: 'slow_down', ...answer };
  const decision = classifyError(error, { estimatedTokens: context.estimatedTokens });
  if (decision.code === 'request_too_large') return { kind: 'too_large', ...answer };
  // Out of quota stops the run; there is nothing to pace.
  if (decision.action !== 'retry') return { kind: 'other', ...answer };
  const limitType = error.type === 'requests' || error.type === 'tokens' ? error.type : undefined;
  return { kind: 'rate_limited', ...answer, ...(limitType ? { limitType } : {}) };
}
