import { APIUserAbortError } from 'openai';
import { classifyError } from '../scheduler/classify.js';

/** A Batch API call failed and the command cannot go on: exit 3, with the message and a hint. */
export class BatchApiError extends Error {
  override name = 'BatchApiError';
  constructor(readonly code: string, message: string, readonly hint: string) {
    super(message);
  }
}

/** The wait or the submit was interrupted (Ctrl-C); the state file keeps what was done. */
export class BatchInterruptedError extends Error {
  override name = 'BatchInterruptedError';
}

/**
 * Turns an SDK error from a Batch API call into a BatchApiError saying what was being done, classified
 * like any request (a bad key or no quota keeps its hint). An abort becomes a BatchInterruptedError.
 */
export function batchCallFailure(error: unknown, doing: string, signal?: AbortSignal): Error {
  if (signal?.aborted || error instanceof APIUserAbortError) return new BatchInterruptedError(`interrupted while ${doing}`);
  if (error instanceof BatchApiError) return error;
  const decision = classifyError(error);
  const hint =
    decision.action === 'stop-run' ? decision.hint : 'run the same command again: what was already uploaded or created is not sent again';
  return new BatchApiError(decision.code, `${doing} failed: ${decision.message}`, hint);
}
