import { describe, expect, it } from 'vitest';
import { finishKindOf } from '../../src/dialect/finish-reason.js';

describe('finishKindOf', () => {
  it.each([
    ['stop', 'stop'],
    ['eos', 'stop'],
    ['eos_token', 'stop'],
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['STOP', 'stop'],
    ['length', 'length'],
    ['max_tokens', 'length'],
    ['model_length', 'length'],
    ['MAX_TOKENS', 'length'],
    ['max_output_tokens', 'length'],
    ['content_filter', 'content_filter'],
    ['SAFETY', 'content_filter'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['error', 'unknown'],
    ['something_new', 'unknown'],
    [null, 'unknown'],
    [undefined, 'unknown'],
    [42, 'unknown'],
  ])('%s → %s', (raw, kind) => {
    expect(finishKindOf(raw)).toBe(kind);
  });
});
