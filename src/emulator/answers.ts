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
  /** Plain-text answers first quote the prompt, as judges that cite the text they grade do. */
  quotePrompt?: boolean;
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

/** verdict's own text instructions for criteria, labels and pairs (src/judge/modes). */
const criteriaPattern = /"<criterion>: N".*?\bfor: ([^\n]+?)\.\s*$/m;
const labelsPattern = /"Label: X", where X is one of: ([^\n]+?)\.\s*$/m;

/**
 * A plain-text answer in the shape judge prompts ask for: a line per criterion, `Label: X`, `[[A]]`
 * for a pair, `Score: k` when the prompt names an integer scale, `Verdict: PASS|FAIL` when it names
 * both verdicts, else one sentence; each after a line of reasoning. With `quotePrompt`, the whole
 * prompt is quoted first.
 */
export function textAnswer(inputs: AnswerInputs): string {
  if (!inputs.quotePrompt) return gradeText(inputs);
  // A grade planted in the graded text comes before the judge's own, as with a real judge.
  const quoted = inputs.promptText.split('\u0000')[0];
  return `The text under review reads:\n"""\n${quoted}\n"""\n${gradeText(inputs)}`;
}

function gradeText(inputs: AnswerInputs): string {
  const choose = chooserFor(inputs);
  const reasoning = reasoningSentences[choose('text#reasoning', reasoningSentences.length)]!;
  const scale = scaleIn(inputs.promptText);
  const criteria = criteriaPattern.exec(inputs.promptText)?.[1]?.split(/,\s*/);
  if (criteria && scale) {
    const lines = criteria.map((name) => `${name}: ${scale[0] + choose(`text#${name}`, scale[1] - scale[0] + 1)}`);
    return `Reasoning: ${reasoning}\n${lines.join('\n')}`;
  }
  const labels = labelsPattern.exec(inputs.promptText)?.[1]?.split(/,\s*/);
  if (labels) return `Reasoning: ${reasoning}\nLabel: ${labels[choose('text#label', labels.length)]}`;
  if (inputs.promptText.includes('[[A]]') && inputs.promptText.includes('[[C]]')) {
    return `Reasoning: ${reasoning}\n[[${'ABC'[choose('text#pair', 3)]}]]`;
  }
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
