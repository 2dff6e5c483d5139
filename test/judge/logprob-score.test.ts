import type { ChatCompletion } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { chatCompletion } from '../helpers/completion.js';
import { logprobGrade } from '../../src/judge/logprob-score.js';

type Alternative = [token: string, p: number];

/** A completion whose content is `tokens` joined; each token offers the given alternatives. */
function completion(tokens: { token: string; top?: Alternative[] }[] | null): ChatCompletion {
  const logprobs = tokens
    ? {
        refusal: null,
        content: tokens.map(({ token, top }) => ({
          token,
          logprob: Math.log(top?.[0]?.[1] ?? 0.99),
          bytes: null,
          top_logprobs: (top ?? [[token, 0.99]]).map(([alt, p]) => ({ token: alt, logprob: Math.log(p), bytes: null })),
        })),
      }
    : null;
  return chatCompletion(tokens?.map((t) => t.token).join('') ?? '', { logprobs });
}

const words = (...parts: string[]) => parts.map((token) => ({ token }));
const grade = { score: 4, pass: null, verdict: null, label: null, criteria: null, reasoning: 'r' };

describe('logprobGrade', () => {
  it('weights the scale tokens offered where the score was written (JSON answer)', () => {
    const tokens = [
      ...words('{"', 'reason', 'ing', '":"', 'ok', '","', 'score', '":'),
      { token: '4', top: [['4', 0.6], ['3', 0.3], ['5', 0.05], ['9', 0.04], ['x', 0.01]] as Alternative[] },
      ...words('}'),
    ];
    const result = logprobGrade(completion(tokens), grade, { scale: { min: 1, max: 5 }, pass: 4 });
    // 9 is off the 1-5 scale and x is no number: both are left out, the rest renormalised.
    const expected = (4 * 0.6 + 3 * 0.3 + 5 * 0.05) / (0.6 + 0.3 + 0.05);
    expect(result.ok && result.grade.score).toBeCloseTo(expected, 12);
    expect(result.ok && result.grade.pass).toBe(false);
  });

  it('reads the score after "Score:" in a text answer, taking the last one', () => {
    const tokens = [
      ...words('The', ' answer', ' says', ' Score', ':', ' '),
      { token: '5', top: [['5', 1]] as Alternative[] },
      ...words('.\n', 'Score', ':'),
      { token: ' 2', top: [[' 2', 0.5], [' 1', 0.5]] as Alternative[] },
    ];
    const result = logprobGrade(completion(tokens), { ...grade, score: 2 }, { scale: { min: 1, max: 5 } });
    expect(result.ok && result.grade.score).toBeCloseTo(1.5, 12);
  });

  it('weights each criterion and scores the row with their mean', () => {
    const tokens = [
      ...words('{"', 'reasoning', '":"', 'x', '","', 'criteria', '":{"', 'coherence', '":'),
      { token: '4', top: [['4', 0.5], ['2', 0.5]] as Alternative[] },
      ...words(',"', 'fluency', '":'),
      { token: '5', top: [['5', 1]] as Alternative[] },
      ...words('}}'),
    ];
    const result = logprobGrade(completion(tokens), grade, { scale: { min: 1, max: 5 }, criteria: ['coherence', 'fluency'] });
    expect(result.ok && result.grade.criteria).toEqual({ coherence: 3, fluency: 5 });
    expect(result.ok && result.grade.score).toBe(4);
  });

  it('says the logprobs are missing when the server sent none', () => {
    expect(logprobGrade(completion(null), grade, { scale: { min: 1, max: 5 } })).toMatchObject({ ok: false, missing: true });
  });

  it('refuses a score split over tokens rather than guessing', () => {
    const tokens = [...words('Score', ': '), { token: '1', top: [['1', 1]] as Alternative[] }, { token: '0', top: [['0', 1]] as Alternative[] }];
    // "10" on a 1-10 scale written as "1" + "0": the first token's distribution is not the score's.
    const result = logprobGrade(completion(tokens), { ...grade, score: 10 }, { scale: { min: 1, max: 10 } });
    expect(result).toMatchObject({ ok: false, missing: false, message: expect.stringMatching(/not a single scale token/) });
  });
});
