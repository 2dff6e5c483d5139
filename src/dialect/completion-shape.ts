/**
 * Some servers answer HTTP 200 with something that is not a chat completion: OpenRouter sends
 * errors inside a 200 (`{"error":{"code":502,…}}`, openrouter.ai/docs/api-reference/errors), LM
 * Studio answers a path it does not serve (a base URL without /v1) with 200
 * `{"error":"Unexpected endpoint or method. (POST /chat/completions)"}` (lmstudio-ai/lmstudio-bug-tracker#618).
 */
import { APIError } from 'openai';
import { readErrorBody } from './error-body.js';

/** A 200 whose body is not a chat completion: no request to this URL can succeed. */
export class NotAChatCompletionError extends Error {
  override name = 'NotAChatCompletionError';
}

/**
 * Throws unless `data` is a chat completion: an APIError of the status an embedded error names
 * (so it is retried or stops the run like that status), else a NotAChatCompletionError.
 */
export function checkChatCompletion(data: unknown, headers: Headers): void {
  if (typeof data === 'object' && data !== null && Array.isArray((data as { choices?: unknown }).choices)) return;
  if (typeof data === 'object' && data !== null && 'error' in data) {
    const read = readErrorBody(200, data);
    if (read.status !== 200) {
      const error = { message: read.message, type: read.type ?? null, code: read.code ?? null, param: read.param ?? null, dialect: read };
      throw APIError.generate(read.status, { error }, undefined, headers);
    }
    throw new NotAChatCompletionError(`the server answered 200 with an error instead of a chat completion: ${read.message}`);
  }
  const shown = typeof data === 'string' ? data : JSON.stringify(data);
  const snippet = (shown ?? '').replace(/\s+/g, ' ').trim().slice(0, 120);
  throw new NotAChatCompletionError(`the server answered 200 with something that is not a chat completion: ${snippet || '(empty)'}`);
}
