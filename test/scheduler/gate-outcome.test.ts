import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { describe, expect, it } from 'vitest';
import { gateFailureOf } from '../../src/scheduler/gate-outcome.js';

function apiError(status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): APIError {
  return APIError.generate(status, { error }, undefined, new Headers(headers));
}

describe('gateFailureOf', () => {
  it.each([
    ['429 rate_limit_exceeded on requests', apiError(429, { code: 'rate_limit_exceeded', type: 'requests', message: 'm' }), { kind: 'rate_limited', limitType: 'requests' }],
    ['429 rate_limit_exceeded on tokens', apiError(429, { code: 'rate_limit_exceeded', type: 'tokens', message: 'm' }), { kind: 'rate_limited', limitType: 'tokens' }],
    ['429 slow_down', apiError(429, { code: 'slow_down', type: 'rate_limit_error', message: 'm' }), { kind: 'slow_down' }],
    ['429 Request too large', apiError(429, { code: 'rate_limit_exceeded', type: 'tokens', message: 'Request too large for gpt-4o' }), { kind: 'too_large' }],
    ['429 insufficient_quota', apiError(429, { code: 'insufficient_quota', type: 'insufficient_quota', message: 'm' }), { kind: 'other' }],
    ['503 overloaded', apiError(503, { code: 'server_is_overloaded', message: 'm' }), { kind: 'overloaded' }],
    ['529 overloaded_error (Anthropic)', apiError(529, { type: 'overloaded_error', message: 'Overloaded' }), { kind: 'overloaded' }],
    ['500', apiError(500, { message: 'm' }), { kind: 'other' }],
    ['408', apiError(408, { message: 'm' }), { kind: 'timeout' }],
    ['an attempt timeout', new APIConnectionTimeoutError(), { kind: 'timeout' }],
    ['a refused connection', new APIConnectionError({ cause: new Error('ECONNREFUSED') }), { kind: 'other' }],
  ])('%s → %j', (_name, error, expected) => {
    expect(gateFailureOf(error)).toMatchObject(expected);
  });

  it("carries the server's retry-after and headers", () => {
    const failure = gateFailureOf(apiError(429, { code: 'rate_limit_exceeded', type: 'requests', message: 'm' }, { 'retry-after-ms': '640' }));
    expect(failure?.retryAfterMs).toBe(640);
    expect(failure?.headers?.get('retry-after-ms')).toBe('640');
  });

  it('reports nothing for a request the run itself cancelled', () => {
    expect(gateFailureOf(new APIUserAbortError())).toBeUndefined();
    expect(gateFailureOf(new Error('x'), { aborted: true })).toBeUndefined();
  });
});
