import { describe, expect, it } from 'vitest';
import { withoutThinking } from '../../src/dialect/think-block.js';

describe('withoutThinking', () => {
  it.each([
    ['<think>Score: 1</think>\n{"score":4}', '{"score":4}'],
    ['  <think>a</think><think>b</think> Score: 3', 'Score: 3'],
    ['<think>still thinking, Score: 2', ''],
    ['Score: 3 <think>not at the start</think>', 'Score: 3 <think>not at the start</think>'],
    ['{"score":5}', '{"score":5}'],
  ])('%j → %j', (content, expected) => {
    expect(withoutThinking(content)).toBe(expected);
  });
});
