import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../src/dialect/error-body.js';

describe('readErrorBody', () => {
  it.each([
    [
      'OpenAI',
      429,
      { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', param: null, code: 'insufficient_quota' } },
      { status: 429, message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' },
    ],
    [
      'Gemini: an array, with QuotaFailure, ErrorInfo and RetryInfo',
      429,
      [
        {
          error: {
            code: 429,
            message: 'You exceeded your current quota',
            status: 'RESOURCE_EXHAUSTED',
            details: [
              { '@type': 'type.googleapis.com/google.rpc.QuotaFailure', violations: [{ quotaMetric: 'm', quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier' }] },
              { '@type': 'type.googleapis.com/google.rpc.Help', links: [] },
              { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '25.465784708s' },
            ],
          },
        },
      ],
      {
        status: 429,
        message: 'You exceeded your current quota',
        type: 'RESOURCE_EXHAUSTED',
        quotaIds: ['GenerateRequestsPerDayPerProjectPerModel-FreeTier'],
        retryDelayMs: 25_465.784708,
      },
    ],
    [
      'Gemini: a bad key',
      400,
      [{ error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' }] } }],
      { status: 400, type: 'INVALID_ARGUMENT', reasons: ['API_KEY_INVALID'] },
    ],
    [
      'Anthropic',
      529,
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { status: 529, message: 'Overloaded', type: 'overloaded_error' },
    ],
    [
      'Anthropic: a spend cap names its code in details',
      429,
      { type: 'error', error: { type: 'rate_limit_error', message: 'spend limit', details: { error_code: 'enforced_spend_limit_reached' } } },
      { status: 429, type: 'rate_limit_error', code: 'enforced_spend_limit_reached' },
    ],
    [
      'Mistral: a validation error, the message an object with a detail list',
      422,
      {
        object: 'error',
        message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: 50 }] },
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
      { status: 422, message: 'body.max_completion_tokens: Extra inputs are not permitted', type: 'invalid_request_error', fields: ['max_completion_tokens'] },
    ],
    [
      'vLLM: top level, an integer code',
      400,
      { object: 'error', message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError', param: null, code: 400 },
      { status: 400, message: "This model's maximum context length is 4096 tokens.", type: 'BadRequestError' },
    ],
    [
      'llama.cpp: an integer code inside error',
      503,
      { error: { code: 503, message: 'Loading model', type: 'unavailable_error' } },
      { status: 503, message: 'Loading model', type: 'unavailable_error' },
    ],
    [
      'OpenRouter: an error inside a 200 takes the status its code names',
      200,
      { error: { code: 429, message: 'Rate limit exceeded', metadata: { headers: { 'X-RateLimit-Limit': '20', 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '1741305600000' } } } },
      { status: 429, message: 'Rate limit exceeded', rateHeaders: { 'x-ratelimit-limit': '20', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1741305600000' } },
    ],
    [
      'LM Studio: error as a string in a 200',
      200,
      { error: 'Unexpected endpoint or method. (POST /chat/completions)' },
      { status: 200, message: 'Unexpected endpoint or method. (POST /chat/completions)' },
    ],
    [
      'LiteLLM: budget_exceeded on a 422',
      422,
      { error: { message: 'Budget has been exceeded! Current cost: 10.2, Max budget: 10.0', type: 'budget_exceeded', param: null, code: '400' } },
      { status: 422, type: 'budget_exceeded', code: '400' },
    ],
    ['FastAPI: a bare detail list', 422, { detail: [{ loc: ['body', 'foo'], msg: 'field required' }] }, { status: 422, fields: ['foo'] }],
  ])('%s', (_name, status, body, expected) => {
    expect(readErrorBody(status, body)).toMatchObject(expected);
  });

  it.each([
    ['no body', undefined, 'HTTP 502 with no body'],
    ['a string', 'upstream connect error', 'upstream connect error'],
    ['an unknown object', { oops: true }, '{"oops":true}'],
  ])('keeps %s as its text', (_name, body, message) => {
    expect(readErrorBody(502, body)).toEqual({ status: 502, message });
  });

  it('never mistakes an integer code for a status when the HTTP status is already an error', () => {
    expect(readErrorBody(500, { error: { code: 429, message: 'x' } }).status).toBe(500);
  });
});
