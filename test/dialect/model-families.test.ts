import { describe, expect, it } from 'vitest';
import { isReasoningModel, reasoningHeadroom, takesTemperature } from '../../src/dialect/model-families.js';

describe('isReasoningModel', () => {
  it.each([
    ['o1', true],
    ['o1-mini', true],
    ['o3', true],
    ['o3-pro-2025-06-10', true],
    ['o4-mini', true],
    ['gpt-5', true],
    ['gpt-5-mini-2025-08-07', true],
    ['gpt-5.1', true],
    ['gpt-5.4-nano', true],
    ['gpt-6', true],
    ['openai/gpt-5', true],
    ['GPT-5', true],
    ['gpt-5-chat-latest', false],
    ['gpt-5.1-chat-latest', false],
    ['gpt-4o', false],
    ['gpt-4.1-mini', false],
    ['omni-judge', false],
    ['llama3', false],
  ])('%s → %s', (model, expected) => {
    expect(isReasoningModel(model)).toBe(expected);
  });
});

describe('takesTemperature', () => {
  it('lets a reasoning model take only its default, unless it does not reason (effort none)', () => {
    expect(takesTemperature('gpt-5', 0, undefined)).toBe(false);
    expect(takesTemperature('gpt-5', 1, undefined)).toBe(true);
    expect(takesTemperature('gpt-5.1', 0, 'none')).toBe(true);
    expect(takesTemperature('gpt-4o-mini', 0, undefined)).toBe(true);
  });
});

describe('reasoningHeadroom', () => {
  it('gives reasoning models room by effort, and other models none', () => {
    expect(reasoningHeadroom('gpt-5', undefined)).toBe(8_192);
    expect(reasoningHeadroom('o4-mini', 'low')).toBe(4_096);
    expect(reasoningHeadroom('gpt-5', 'high')).toBe(16_384);
    // OpenAI's newest reasoning models take `max` (openai-node's ReasoningEffort names it).
    expect(reasoningHeadroom('gpt-6-luna', 'max')).toBe(65_536);
    expect(reasoningHeadroom('gpt-5.1', 'none')).toBe(0);
    expect(reasoningHeadroom('gpt-4o', 'high')).toBe(0);
  });
});
