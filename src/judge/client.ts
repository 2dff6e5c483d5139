import OpenAI from 'openai';
import { APIError } from 'openai';
import { refusedParameters } from '../dialect/refused-parameter.js';

/** How to reach the judge's API. */
export interface JudgeClientOptions {
  apiKey: string;
  /** Includes `/v1` for OpenAI-compatible servers; undefined means OpenAI itself. */
  baseURL?: string;
  /** Limit for one attempt, in ms. */
  timeoutMs: number;
}

/**
 * The one OpenAI client of a run. Its own retries are off: verdict's retry layer decides, so
 * quota errors are never retried and two layers never multiply.
 */
export function createJudgeClient(options: JudgeClientOptions): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey,
    baseURL: options.baseURL,
    timeout: options.timeoutMs,
    maxRetries: 0,
    logLevel: 'off',
    fetch: noteRefusedParameters,
  });
}

/**
 * Carries which request parameters a 400/422 refuses (refused-parameter.ts) to the error the SDK
 * raises, in a header of verdict's own: the SDK keeps only a body's `error` object, and Mistral's
 * refusal has none. The body itself is passed on unchanged.
 */
const REFUSED_HEADER = 'x-verdict-refused-parameters';

async function noteRefusedParameters(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  if (response.status !== 400 && response.status !== 422) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  const headers = new Headers(response.headers);
  const refused = refusedParameters(response.status, body);
  if (refused.length > 0) headers.set(REFUSED_HEADER, refused.join(','));
  return new Response(text, { status: response.status, statusText: response.statusText, headers });
}

/** The request parameters an API error says the server refuses; empty for any other failure. */
export function refusedParametersOf(error: unknown): string[] {
  if (!(error instanceof APIError)) return [];
  const names = error.headers?.get(REFUSED_HEADER);
  return names ? names.split(',') : [];
}
