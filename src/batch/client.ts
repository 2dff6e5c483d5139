import OpenAI from 'openai';

/** How to reach the Batch API. */
export interface BatchClientOptions {
  apiKey: string;
  /** Includes `/v1`; undefined means OpenAI itself. */
  baseURL?: string;
  /** Limit for one call (an upload of a 200 MB file included), in ms. */
  timeoutMs: number;
}

/**
 * The client for the Batch API's few calls (upload, create, poll, download). Unlike the judge
 * client, the SDK's own retries are on (two): no other layer retries these calls, and each is
 * cheap to repeat. Two are not: an upload streams its body, which the SDK never retries, and
 * creating a batch is sent once (a retry after a timeout could start a second, paid batch; a rerun
 * finds the first one instead).
 */
export function createBatchClient(options: BatchClientOptions): OpenAI {
  return new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs, maxRetries: 2, logLevel: 'off' });
}
