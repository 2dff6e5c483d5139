/** What a failed request's error means, read the same way whatever dialect the server spoke. */
import { APIError } from 'openai';
import { NotAChatCompletionError } from './completion-shape.js';
import { readErrorBody, type ServerError } from './error-body.js';
import { meaningOf, type ErrorMeaning } from './meaning.js';

/** The hint for a server that answers, but not as an OpenAI-compatible chat API. */
const BASE_URL_HINT =
  'this URL does not serve OpenAI chat completions; --base-url usually ends in /v1 (e.g. http://localhost:1234/v1)';

/** The server's error as dialect/fetch.ts rewrote it, or read afresh from the SDK's `error` field. */
export function serverErrorOf(error: APIError & { status: number }): ServerError {
  const body = error.error as { dialect?: ServerError } | undefined;
  if (body?.dialect && typeof body.dialect.message === 'string') return { ...body.dialect, status: error.status };
  return readErrorBody(error.status, body === undefined ? undefined : { error: body });
}

/** The meaning of an answer the server gave; undefined for failures that are not answers (connection, abort). */
export function answerMeaning(error: unknown, context: { estimatedTokens?: number } = {}): ErrorMeaning | undefined {
  if (error instanceof NotAChatCompletionError) {
    return { kind: 'stop', code: 'not_a_chat_completion', hint: BASE_URL_HINT, message: error.message };
  }
  if (!(error instanceof APIError) || error.status === undefined) return undefined;
  return meaningOf(serverErrorOf(error as APIError & { status: number }), error.headers ?? undefined, context);
}
