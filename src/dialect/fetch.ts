/**
 * The fetch the judge's SDK client uses: error answers in any dialect are rewritten into OpenAI's
 * `{"error":{message,type,code,param}}`, keeping the full reading under `error.dialect`. Without
 * it the SDK drops what it cannot read: a Gemini array or a vLLM top-level error would reach us as
 * "429 status code (no body)". Successful answers pass through untouched.
 */
import { readErrorBody } from './error-body.js';

/** What the wrapper tells its owner. */
export interface DialectFetchHooks {
  /**
   * A request is going out to the server. Not called for one whose signal fired before it left
   * (a run stopping cancels the requests the gate had just let through): those never reached it.
   */
  onSent?: () => void;
}

/** Wraps `inner` (global fetch by default). */
export function dialectFetch(inner: typeof fetch = globalThis.fetch, hooks: DialectFetchHooks = {}): typeof fetch {
  return async (input, init) => {
    if (!init?.signal?.aborted) hooks.onSent?.();
    const response = await inner(input, init);
    if (response.ok) return response;
    const text = await response.text();
    // The body is decoded now: its length and encoding headers no longer describe it.
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const answer = { status: response.status, statusText: response.statusText, headers };
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON (a proxy's HTML page): the SDK keeps such text as the message itself.
      return new Response(text, answer);
    }
    const read = readErrorBody(response.status, body);
    const error = { message: read.message, type: read.type ?? null, code: read.code ?? null, param: read.param ?? null, dialect: read };
    headers.set('content-type', 'application/json');
    return new Response(JSON.stringify({ error }), answer);
  };
}
