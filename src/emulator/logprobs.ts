/**
 * Token logprobs for an emulated answer, shaped like OpenAI's `choices[].logprobs`. The text is cut
 * into word, number and punctuation tokens; a number token carries alternatives one and two steps
 * either side of it, so a client that weights a score by its probabilities (G-Eval) gets a value
 * that differs from the sampled integer, as it does against a real model.
 */
import type { Chooser } from './schema-answer.js';

/** One token's logprob entry: `{token, logprob, bytes, top_logprobs}`. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes: number[];
  top_logprobs: { token: string; logprob: number; bytes: number[] }[];
}

const TOKEN = /\s*[A-Za-z]+|\s*\d+|\s*[^\sA-Za-z\d]|\s+/g;

/** The content's tokens with logprobs and up to `top` alternatives each. */
export function contentLogprobs(content: string, top: number, choose: Chooser): TokenLogprob[] {
  const tokens = content.match(TOKEN) ?? [];
  return tokens.map((token, i) => (/^\s*\d+$/.test(token) ? numberToken(token, top, choose, i) : wordToken(token, top)));
}

function entry(token: string, logprob: number): { token: string; logprob: number; bytes: number[] } {
  return { token, logprob, bytes: [...Buffer.from(token, 'utf8')] };
}

/** Words are near-certain: the token itself, nothing else worth offering. */
function wordToken(token: string, top: number): TokenLogprob {
  const own = entry(token, -0.0001);
  return { ...own, top_logprobs: top > 0 ? [own] : [] };
}

/**
 * The sampled number stays the most likely; its neighbours share the rest unevenly (chosen per
 * position from the request's hash), so the weighted mean leans one way or the other.
 */
function numberToken(token: string, top: number, choose: Chooser, position: number): TokenLogprob {
  const lead = token.slice(0, token.length - token.trimStart().length);
  const value = Number(token.trim());
  const lean = choose(`logprobs#${position}`, 5);
  const weights: [number, number][] = [
    [value, 0.55],
    [value - 1, 0.1 + 0.05 * lean],
    [value + 1, 0.3 - 0.05 * lean],
    [value - 2, 0.03],
    [value + 2, 0.02],
  ];
  const offered = weights.filter(([v]) => v >= 0).slice(0, Math.max(1, top));
  const total = weights.filter(([v]) => v >= 0).reduce((sum, [, p]) => sum + p, 0);
  const alternatives = offered.map(([v, p]) => entry(`${lead}${v}`, Math.log(p / total)));
  return { ...alternatives[0]!, top_logprobs: top > 0 ? alternatives : [] };
}
