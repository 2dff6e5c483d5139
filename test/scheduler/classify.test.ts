import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { NotAChatCompletionError } from '../../src/dialect/completion-shape.js';
import { classifyError } from '../../src/scheduler/classify.js';
import { retryAfterMs } from '../../src/dialect/retry-after.js';

/** Builds the SDK's own error for a status and body, as it would from an HTTP answer. */
function apiError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error }, undefined, new Headers(headers));
}

describe('classifyError', () => {
  it.each([
    ['429 rate_limit_exceeded', apiError(429, { code: 'rate_limit_exceeded', type: 'requests', message: 'slow' }), 'retry', 'rate_limited'],
    ['429 slow_down', apiError(429, { code: 'slow_down', type: 'rate_limit_error', message: 'm' }), 'retry', 'rate_limited'],
    ['429 insufficient_quota', apiError(429, { code: 'insufficient_quota', type: 'insufficient_quota', message: 'm' }), 'stop-run', 'insufficient_quota'],
    ['429 spend limit', apiError(429, { code: 'project_spend_limit_exceeded', type: 'insufficient_quota', message: 'm' }), 'stop-run', 'insufficient_quota'],
    ['401', apiError(401, { code: 'invalid_api_key', message: 'bad key' }), 'stop-run', 'auth_error'],
    ['403', apiError(403, { message: 'no access' }), 'stop-run', 'permission_denied'],
    ['400', apiError(400, { code: 'context_length_exceeded', type: 'invalid_request_error', message: 'long' }), 'fail-row', 'bad_request'],
    ['422', apiError(422, { message: 'bad' }), 'fail-row', 'bad_request'],
    ['404', apiError(404, { message: 'no model' }), 'fail-row', 'not_found'],
    ['408', apiError(408, { message: 'timeout' }), 'retry', 'timeout'],
    ['409', apiError(409, { message: 'conflict' }), 'retry', 'server_error'],
    ['500', apiError(500, { message: 'oops' }), 'retry', 'server_error'],
    ['503 overloaded', apiError(503, { code: 'server_is_overloaded', message: 'busy' }), 'retry', 'server_error'],
    ['a connection error', new APIConnectionError({ cause: new Error('ECONNRESET') }), 'retry', 'connection_error'],
    ['an attempt timeout', new APIConnectionTimeoutError(), 'retry', 'timeout'],
    ['our own abort', new APIUserAbortError(), 'abort', 'cancelled'],
    ['402 (OpenRouter, DeepSeek: no credit)', apiError(402, { message: 'Insufficient credits' }), 'stop-run', 'insufficient_quota'],
    ['529 overloaded_error (Anthropic)', apiError(529, { type: 'overloaded_error', message: 'Overloaded' }), 'retry', 'server_error'],
    ['422 budget_exceeded (LiteLLM)', apiError(422, { type: 'budget_exceeded', message: 'Budget has been exceeded' }), 'stop-run', 'insufficient_quota'],
    ['a 200 that is not a chat completion', new NotAChatCompletionError('not a completion'), 'stop-run', 'not_a_chat_completion'],
  ])('%s → %s (%s)', (_name, error, action, code) => {
    expect(classifyError(error)).toMatchObject({ action, code });
  });

  it('keeps the server message without the SDK status prefix', () => {
    expect(classifyError(apiError(500, { message: 'The server had an error' })).message).toBe('The server had an error');
  });

  it('carries a wait the body names, and where it came from', () => {
    const decision = classifyError(apiError(503, { message: 'busy', dialect: { status: 503, message: 'busy', retryDelayMs: 1_000 } }));
    expect(decision).toMatchObject({ action: 'retry', retryAfterMs: 1_000, waitSource: 'RetryInfo.retryDelay' });
  });

  it('carries the retry-after-ms hint of a 429', () => {
    const decision = classifyError(apiError(429, { code: 'rate_limit_exceeded', message: 'm' }, { 'retry-after-ms': '250' }));
    expect(decision).toMatchObject({ action: 'retry', retryAfterMs: 250, rateLimited: true });
  });

  it('fails only the row when a request is larger than the whole TPM limit', () => {
    const tooLarge = apiError(429, { code: 'rate_limit_exceeded', type: 'tokens', message: 'Limit reached' }, { 'x-ratelimit-limit-tokens': '30000' });
    expect(classifyError(tooLarge, { estimatedTokens: 31_756 })).toMatchObject({ action: 'fail-row', code: 'request_too_large' });
    expect(classifyError(tooLarge, { estimatedTokens: 2_000 })).toMatchObject({ action: 'retry' });
    const documented = apiError(429, { code: 'rate_limit_exceeded', type: 'tokens', message: 'Request too large for gpt-4o on tokens per min (TPM): Limit 30000, Requested 31756.' });
    expect(classifyError(documented)).toMatchObject({ action: 'fail-row', code: 'request_too_large' });
  });

  it('treats a failure during cancellation as the cancellation', () => {
    expect(classifyError(apiError(500, { message: 'x' }), { aborted: true })).toMatchObject({ action: 'abort' });
  });
});

describe('retryAfterMs', () => {
  const headers = (h: Record<string, string>) => new Headers(h);
  it.each([
    [{ 'retry-after-ms': '644.5' }, 644.5],
    [{ 'retry-after-ms': '120', 'retry-after': '9' }, 120],
    [{ 'retry-after': '2' }, 2000],
    [{ 'retry-after': 'Wed, 25 Nov 2026 10:00:05 GMT' }, 5000],
    [{ 'retry-after-ms': 'soon' }, undefined],
    [{ 'retry-after-ms': '-5' }, undefined],
    [{}, undefined],
  ])('reads %j as %s ms', (h, expected) => {
    expect(retryAfterMs(headers(h), Date.parse('Wed, 25 Nov 2026 10:00:00 GMT'))).toBe(expected);
  });
});
