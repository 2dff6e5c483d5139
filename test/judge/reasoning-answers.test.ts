import type { ChatCompletion } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { chatCompletion } from '../helpers/completion.js';
import { scoreAnswerSpec } from '../../src/judge/modes/score.js';
import { readCompletion, reasoningStarved } from '../../src/judge/read-completion.js';

function completion(content: string | null, extra: { finish_reason?: unknown; reasoning_tokens?: number; message?: Record<string, unknown> } = {}): ChatCompletion {
  const usage = { prompt_tokens: 10, completion_tokens: 50, total_tokens: 60, completion_tokens_details: { reasoning_tokens: extra.reasoning_tokens ?? 0 } };
  return chatCompletion(content, { finish_reason: extra.finish_reason, message: extra.message, usage });
}

const score = scoreAnswerSpec({ scale: { min: 1, max: 5 }, pass: 4 });

describe('reading a reasoning judge', () => {
  it('never counts a grade inside a leading <think> block', () => {
    const reading = readCompletion(completion('<think>{"reasoning":"draft","score":1}\nScore: 1</think>\n{"reasoning":"fine","score":4}'), score);
    expect(reading.ok && reading.grade.score).toBe(4);
  });

  it('does not take the grade of a <think> block when the answer after it has none', () => {
    const reading = readCompletion(completion('<think>{"reasoning":"draft","score":2}\nScore: 2</think>\nI would rather not say.'), score);
    expect(reading).toMatchObject({ ok: false, code: 'unparseable_answer' });
  });

  it('finds no answer in a <think> block that never closed', () => {
    const reading = readCompletion(completion('<think>Score: 5, I think'), score);
    expect(reading).toMatchObject({ ok: false, code: 'unparseable_answer', message: 'the answer is empty' });
  });

  it.each(['reasoning', 'reasoning_content'])('ignores a grade in the message field %s', (field) => {
    const reading = readCompletion(completion('', { message: { [field]: 'Score: 5' } }), score);
    expect(reading).toMatchObject({ ok: false, code: 'unparseable_answer' });
  });

  it('keeps a finish_reason no server documents in the message, and reads the answer on its merits', () => {
    expect(readCompletion(completion('Score: 3', { finish_reason: 'novel' }), score)).toMatchObject({ ok: true, grade: { score: 3 } });
    const unreadable = readCompletion(completion('hmm', { finish_reason: 'novel' }), score);
    expect(unreadable).toMatchObject({ ok: false, code: 'unparseable_answer', message: expect.stringContaining('finish_reason "novel"') });
  });

  it('reads model_length as a cut-off answer, and says when reasoning used the budget', () => {
    expect(readCompletion(completion('{"reasoning":"cut', { finish_reason: 'model_length' }), score)).toMatchObject({ ok: false, code: 'truncated' });
    const starved = readCompletion(completion('', { finish_reason: 'length', reasoning_tokens: 512 }), score);
    expect(starved).toMatchObject({ ok: false, code: 'truncated', message: 'reasoning used 512 of the tokens allowed, leaving no answer' });
  });
});

describe('reasoningStarved', () => {
  it.each([
    ['empty content, length, reasoning tokens', completion('', { finish_reason: 'length', reasoning_tokens: 400 }), true],
    ['null content, max_tokens, a reasoning field', completion(null, { finish_reason: 'max_tokens', message: { reasoning: 'let me think' } }), true],
    ['an unclosed think block', completion('<think>still going', { finish_reason: 'length' }), true],
    ['a cut-off answer', completion('{"reasoning":"cut', { finish_reason: 'length', reasoning_tokens: 100 }), false],
    ['an empty answer that finished', completion('', { finish_reason: 'stop', reasoning_tokens: 400 }), false],
    ['empty and cut off, with no sign of thinking', completion('', { finish_reason: 'length' }), false],
  ])('%s → %s', (_, c, expected) => {
    expect(reasoningStarved(c)).toBe(expected);
  });
});
