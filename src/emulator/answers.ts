/**
 * What the emulated model says. Every choice is a hash of (seed, prompt text, what is being
 * chosen), so an answer never depends on request order, concurrency or retries.
 */
import { hashParts } from './random.js';
import type { ResponseFormat } from './request-schema.js';
import { reasoningSentences, valueForSchema, type Chooser } from './schema-answer.js';

/** The inputs an answer is a function of. */
export interface AnswerInputs {
  seed: number;
  /** The request's message contents joined by newlines. */
  promptText: string;
}

/** How a prompt names an integer scale: "an integer from 1 to 5". */
const scalePattern = /integer from\s+(-?\d+)\s+to\s+(-?\d+)/i;

/** A chooser seeded by the request: `choose(path, n)` is in [0, n). */
export function chooserFor(inputs: AnswerInputs): Chooser {
  return (path, n) => hashParts(inputs.seed, inputs.promptText, path) % n;
}

/** The message content for a request: schema-satisfying JSON, a JSON object, or text. */
export function answerContent(format: ResponseFormat | undefined, inputs: AnswerInputs): string {
  if (format?.type === 'json_schema' && format.json_schema.schema !== undefined) {
    return JSON.stringify(valueForSchema(format.json_schema.schema, chooserFor(inputs)));
  }
  if (format?.type === 'json_schema' || format?.type === 'json_object') return jsonObjectAnswer(inputs);
  return textAnswer(inputs);
}

/**
 * A plain-text answer in the shape judge prompts ask for: `Reasoning: …\nScore: k` when the prompt
 * names an integer scale, `Reasoning: …\nVerdict: PASS|FAIL` when it names both verdicts, else one sentence.
 */
export function textAnswer(inputs: AnswerInputs): string {
  const choose = chooserFor(inputs);
  const reasoning = reasoningSentences[choose('text#reasoning', reasoningSentences.length)]!;
  const scale = scaleIn(inputs.promptText);
  if (scale) return `Reasoning: ${reasoning}\nScore: ${scale[0] + choose('text#score', scale[1] - scale[0] + 1)}`;
  if (inputs.promptText.includes('PASS') && inputs.promptText.includes('FAIL')) {
    return `Reasoning: ${reasoning}\nVerdict: ${choose('text#verdict', 2) === 0 ? 'PASS' : 'FAIL'}`;
  }
  return reasoning;
}

/** A small JSON object for JSON mode: `{"reasoning": …, "score": k}` (k on the prompt's scale, else 1–5). */
export function jsonObjectAnswer(inputs: AnswerInputs): string {
  const choose = chooserFor(inputs);
  const [low, high] = scaleIn(inputs.promptText) ?? [1, 5];
  return JSON.stringify({
    reasoning: reasoningSentences[choose('json#reasoning', reasoningSentences.length)],
    score: low + choose('json#score', high - low + 1),
  });
}

/** Cuts an answer mid-way, as a `max_tokens` stop would: a proper prefix of JSON is never valid JSON. */
export function truncateAnswer(content: string): string {
  return content.slice(0, Math.max(1, Math.floor(content.length / 2)));
}

/** The text a `malformed` fault answers: neither JSON nor in any judge's answer format. */
export const malformedAnswer = 'I think it is pretty good.';

/** The refusal text a `refusal` fault answers with. */
export const refusalText = "I can't help with that.";

function scaleIn(text: string): [number, number] | undefined {
  const match = scalePattern.exec(text);
  if (!match) return undefined;
  const a = Number(match[1]);
  const b = Number(match[2]);
  return a <= b ? [a, b] : [b, a];
}
