import { describe, expect, it } from 'vitest';
import type { ServerError } from '../../src/dialect/error-body.js';
import { KNOWN_MESSAGES } from '../../src/dialect/known-messages.js';
import { meaningOf } from '../../src/dialect/meaning.js';

const error = (status: number, fields: Partial<ServerError> = {}): ServerError => ({ status, message: 'm', ...fields });

describe('meaningOf', () => {
  it.each([
    ['401', error(401), { kind: 'stop', code: 'auth_error' }],
    ['403', error(403), { kind: 'stop', code: 'permission_denied' }],
    ['any 402', error(402), { kind: 'stop', code: 'insufficient_quota' }],
    ['429 insufficient_quota (OpenAI)', error(429, { type: 'insufficient_quota', code: 'insufficient_quota' }), { kind: 'stop', code: 'insufficient_quota' }],
    ['429 credit_balance_exhausted (OpenAI)', error(429, { type: 'insufficient_quota', code: 'credit_balance_exhausted' }), { kind: 'stop', code: 'insufficient_quota' }],
    ['429 enforced_spend_limit_reached (Anthropic)', error(429, { type: 'rate_limit_error', code: 'enforced_spend_limit_reached' }), { kind: 'stop', code: 'insufficient_quota' }],
    ['422 budget_exceeded (LiteLLM)', error(422, { type: 'budget_exceeded' }), { kind: 'stop', code: 'insufficient_quota' }],
    ['429 budget_exceeded (LiteLLM, status changed)', error(429, { type: 'budget_exceeded' }), { kind: 'stop', code: 'insufficient_quota' }],
    [
      '429 RESOURCE_EXHAUSTED naming a per-day quota (Gemini)',
      error(429, { type: 'RESOURCE_EXHAUSTED', quotaIds: ['GenerateRequestsPerMinutePerProjectPerModel-FreeTier', 'GenerateRequestsPerDayPerProjectPerModel-FreeTier'], retryDelayMs: 47_000 }),
      { kind: 'stop', code: 'insufficient_quota' },
    ],
    [
      '429 RESOURCE_EXHAUSTED on a per-minute quota (Gemini)',
      error(429, { type: 'RESOURCE_EXHAUSTED', quotaIds: ['GenerateContentInputTokensPerModelPerMinute-FreeTier'], retryDelayMs: 26_000 }),
      { kind: 'rate_limited', wait: { ms: 26_000, source: 'RetryInfo.retryDelay' } },
    ],
    ['400 API_KEY_INVALID (Gemini)', error(400, { reasons: ['API_KEY_INVALID'] }), { kind: 'stop', code: 'auth_error' }],
    [
      '400 credit balance too low (Anthropic)',
      error(400, { type: 'invalid_request_error', message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.' }),
      { kind: 'stop', code: 'insufficient_quota' },
    ],
    [
      '400 workspace spend limit reached (Anthropic)',
      error(400, { type: 'invalid_request_error', message: 'You have reached your specified API usage limits. You will regain access on 2027-01-01 at 00:00 UTC.' }),
      { kind: 'stop', code: 'insufficient_quota' },
    ],
    ['400 any other', error(400, { type: 'invalid_request_error', message: 'Your credit is fine, your request is not' }), { kind: 'row', code: 'bad_request' }],
    ['422', error(422), { kind: 'row', code: 'bad_request' }],
    ['404', error(404), { kind: 'row', code: 'not_found' }],
    ['429 rate_limit_exceeded on tokens', error(429, { type: 'tokens', code: 'rate_limit_exceeded' }), { kind: 'rate_limited', limit: 'tokens', slowDown: false }],
    ['429 slow_down', error(429, { code: 'slow_down' }), { kind: 'rate_limited', slowDown: true }],
    ['429 Request too large (OpenAI)', error(429, { type: 'tokens', message: 'Request too large for gpt-4o in organization org-x on tokens per min (TPM): Limit 30000, Requested 31756.' }), { kind: 'too_large' }],
    ['503', error(503), { kind: 'overloaded' }],
    ['529 overloaded_error (Anthropic)', error(529, { type: 'overloaded_error' }), { kind: 'overloaded' }],
    ['500', error(500), { kind: 'server_error' }],
    ['409', error(409), { kind: 'server_error' }],
    ['408', error(408), { kind: 'timeout' }],
  ] as const)('%s → %j', (_name, read, expected) => {
    expect(meaningOf(read, undefined)).toMatchObject(expected);
  });

  it('stops on a Groq 429 with no requests left today, and waits out one with requests left', () => {
    const groq = (remaining: string) => new Headers({ 'x-groq-region': 'fra', 'x-ratelimit-remaining-requests': remaining, 'retry-after': '2' });
    expect(meaningOf(error(429, { type: 'tokens' }), groq('0'))).toMatchObject({ kind: 'stop', code: 'insufficient_quota' });
    expect(meaningOf(error(429, { type: 'tokens' }), groq('14000'))).toMatchObject({ kind: 'rate_limited', wait: { ms: 2_000 } });
    // Elsewhere no requests left is a per-minute figure: wait.
    expect(meaningOf(error(429), new Headers({ 'x-ratelimit-remaining-requests': '0' }))).toMatchObject({ kind: 'rate_limited' });
  });

  it('keeps the server\'s own words', () => {
    expect(meaningOf(error(401, { message: 'Incorrect API key provided' }), undefined).message).toBe('Incorrect API key provided');
  });

  it('fails only the row when the request is larger than the whole token limit the headers report', () => {
    const headers = new Headers({ 'x-ratelimit-limit-tokens': '30000' });
    expect(meaningOf(error(429, { type: 'tokens' }), headers, { estimatedTokens: 31_756 })).toMatchObject({ kind: 'too_large' });
    expect(meaningOf(error(429, { type: 'tokens' }), headers, { estimatedTokens: 2_000 })).toMatchObject({ kind: 'rate_limited' });
  });

  it('cites a source for every documented message it decides by', () => {
    for (const known of KNOWN_MESSAGES) {
      expect(known.source).not.toBe('');
      expect(known.opening.length).toBeGreaterThan(15);
    }
  });
});
