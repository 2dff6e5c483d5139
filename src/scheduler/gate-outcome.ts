import { APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { answerMeaning } from '../dialect/api-error.js';
import type { GateFailure } from './request-gate.js';

/**
 * What a failed request tells the gate: a 429 that cools everyone down, a request to slow down
 * (429 `slow_down`, 503, 529), a timeout, a request too large to ever count, or nothing it acts on.
 * Undefined when the request never got its chance (the run was cancelled).
 */
export function gateFailureOf(error: unknown, context: { estimatedTokens?: number; aborted?: boolean } = {}): GateFailure | undefined {
  if (context.aborted || error instanceof APIUserAbortError) return undefined;
  if (error instanceof APIConnectionTimeoutError) return { kind: 'timeout' };
  const meaning = answerMeaning(error, { estimatedTokens: context.estimatedTokens });
  if (!meaning) return { kind: 'other' };
  const headers = error instanceof APIError ? (error.headers ?? undefined) : undefined;
  const answer = {
    ...(headers ? { headers } : {}),
    ...(meaning.wait ? { retryAfterMs: meaning.wait.ms, why: `${meaning.wait.source}: ${oneLine(meaning.message)}` } : {}),
  };
  switch (meaning.kind) {
    case 'timeout':
      return { kind: 'timeout', ...answer };
    case 'overloaded':
      return { kind: 'overloaded', ...answer };
    case 'too_large':
      return { kind: 'too_large', ...answer };
    case 'rate_limited':
      if (meaning.slowDown) return { kind: 'slow_down', ...answer };
      return { kind: 'rate_limited', ...answer, ...(meaning.limit ? { limitType: meaning.limit } : {}) };
    default:
      // Out of quota stops the run; there is nothing to pace.
      return { kind: 'other', ...answer };
  }
}

/** The server's message on one short line, for a wait's reason. */
function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
