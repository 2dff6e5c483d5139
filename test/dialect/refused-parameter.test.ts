import { describe, expect, it } from 'vitest';
import { refusedParameters } from '../../src/dialect/refused-parameter.js';

describe('refusedParameters', () => {
  it.each([
    [
      'OpenAI unsupported_value',
      400,
      { error: { message: "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.", type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' } },
      ['temperature'],
    ],
    [
      'OpenAI unsupported_parameter',
      400,
      { error: { message: "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.", type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' } },
      ['max_tokens'],
    ],
    ['Azure unrecognized argument', 400, { error: { message: 'Unrecognized request argument supplied: max_completion_tokens', type: 'invalid_request_error', param: null, code: null } }, ['max_completion_tokens']],
    [
      'Mistral 422',
      422,
      { object: 'error', message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: 32000 }] }, type: 'invalid_request_error', param: null, code: null },
      ['max_completion_tokens'],
    ],
    [
      'Mistral, detail as a JSON string',
      422,
      { object: 'error', message: '{"detail":[{"type":"extra_forbidden","loc":["body","frequency_penalty"],"msg":"Extra inputs are not permitted","input":0.0}]}', type: 'internal_error_proxy', param: null, code: '1000' },
      ['frequency_penalty'],
    ],
    [
      'a bare pydantic detail list',
      422,
      { detail: [{ type: 'extra_forbidden', loc: ['body', 'store'] }, { type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'] }] },
      ['store', 'max_completion_tokens'],
    ],
  ])('reads %s', (_, status, body, expected) => {
    expect(refusedParameters(status, body)).toEqual(expected);
  });

  it.each([
    ['another 400', 400, { error: { message: "This model's maximum context length is 128000 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } }],
    ['a parameter refused on other grounds', 400, { error: { message: 'Invalid value', type: 'invalid_request_error', param: 'temperature', code: 'invalid_value' } }],
    ['a nested field', 422, { detail: [{ type: 'extra_forbidden', loc: ['body', 'messages', 3, 'assistant', 'reasoning_content'] }] }],
    ['a 429', 429, { error: { message: 'x', type: 'tokens', param: 'temperature', code: 'unsupported_value' } }],
    ['no JSON', 400, undefined],
    ['an array body', 400, [{ error: { code: 400 } }]],
  ])('names nothing for %s', (_, status, body) => {
    expect(refusedParameters(status, body)).toEqual([]);
  });
});
