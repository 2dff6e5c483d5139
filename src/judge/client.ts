import OpenAI from 'openai';
import { dialectFetch } from '../dialect/fetch.js';

/** How to reach the judge's API. */
export interface JudgeClientOptions {
  apiKey: string;
  /** Includes `/v1` for OpenAI-compatible servers; undefined means OpenAI itself. */
  baseURL?: string;
  /** Limit for one attempt, in ms. */
  timeoutMs: number;
  /** A request actually left for the server (src/dialect/fetch.ts). */
  onSent?: () => void;
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
    // Error answers in other servers' dialects reach the SDK in OpenAI's shape (src/dialect).
    fetch: dialectFetch(globalThis.fetch, { onSent: options.onSent }),
  });
}

