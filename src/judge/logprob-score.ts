import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { Grade } from './answer-spec.js';

/** What logprob scoring needs to know about the judge's scale. */
export interface LogprobScoring {
  scale: { min: number; max: number };
  pass?: number;
  criteria?: readonly string[];
}

/** The weighted grade, or why the completion cannot give one. */
export type LogprobReading =
  | { ok: true; grade: Grade }
  | { ok: false; missing: true; message: string }
  | { ok: false; missing: false; message: string };

type TokenLogprob = NonNullable<NonNullable<ChatCompletion['choices'][number]['logprobs']>['content']>[number];

/**
 * G-Eval's score: the probability-weighted mean over the scale's tokens at the position where the
 * judge wrote its score, rather than the one token it happened to sample. With criteria, each
 * criterion's score is weighted alike and the row's score is their mean.
 */
export function logprobGrade(completion: ChatCompletion, grade: Grade, scoring: LogprobScoring): LogprobReading {
  const choice = completion.choices[0];
  const tokens = choice?.logprobs?.content;
  if (!tokens || tokens.length === 0) {
    return { ok: false, missing: true, message: 'the answer came without token logprobs' };
  }
  const text = tokens.map((t) => t.token).join('');
  const keys = scoring.criteria ?? ['score'];
  const weighted: Record<string, number> = {};
  for (const key of keys) {
    const offset = valueOffset(text, key);
    if (offset === undefined) return { ok: false, missing: false, message: `no "${key}" value found among the answer's tokens` };
    const written = /^-?\d+/.exec(text.slice(offset))![0];
    const value = weightedValueAt(tokens, offset, written, scoring.scale);
    if (value === undefined) {
      return { ok: false, missing: false, message: `the "${key}" value is not a single scale token with probabilities` };
    }
    weighted[key] = value;
  }
  const score = scoring.criteria ? mean(Object.values(weighted)) : weighted.score!;
  return {
    ok: true,
    grade: {
      ...grade,
      score,
      pass: scoring.pass === undefined ? null : score >= scoring.pass,
      criteria: scoring.criteria ? weighted : grade.criteria,
    },
  };
}

/** Where the value of `key` starts: `"score": 4` in JSON, `Score: 4` in text; the last one wins. */
function valueOffset(text: string, key: string): number | undefined {
  const escaped = key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const pattern = new RegExp(`\\b${escaped}\\b"?\\**\\s*(?:[:=]|is)\\s*\\**\\s*\\[{0,2}\\s*(-?\\d+)`, 'gi');
  let offset: number | undefined;
  for (const match of text.matchAll(pattern)) offset = match.index + match[0].length - match[1]!.length;
  return offset;
}

/** The probability-weighted mean of the scale's values offered at the token covering `offset`. */
function weightedValueAt(tokens: TokenLogprob[], offset: number, written: string, scale: { min: number; max: number }): number | undefined {
  let start = 0;
  for (const token of tokens) {
    const end = start + token.token.length;
    if (offset < end) {
      // The whole number must start this one token ("4", " 4", "10", "4}"); a number split over
      // tokens, or one that starts mid-token, has no single distribution to weight.
      const startsHere = start + token.token.length - token.token.trimStart().length === offset;
      if (!startsHere || leadingInteger(token.token) !== Number(written) || !token.token.trim().startsWith(written)) return undefined;
      const alternatives = token.top_logprobs?.length ? token.top_logprobs : [{ token: token.token, logprob: token.logprob }];
      let mass = 0;
      let sum = 0;
      for (const alternative of alternatives) {
        const value = leadingInteger(alternative.token);
        if (value === undefined || value < scale.min || value > scale.max) continue;
        const p = Math.exp(alternative.logprob);
        mass += p;
        sum += p * value;
      }
      return mass > 0 ? sum / mass : undefined;
    }
    start = end;
  }
  return undefined;
}

/** The integer a token starts with ("4", " 4", "4}"), not part of a longer number ("4.5", "45" is 45). */
function leadingInteger(token: string): number | undefined {
  const match = /^\s*(-?\d+)(?![\d.])/.exec(token);
  return match ? Number(match[1]) : undefined;
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
