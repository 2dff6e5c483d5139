import type { ChatCompletion } from 'openai/resources/chat/completions';
import * as z from 'zod';
import type { AnswerSpec, Grade } from './answer-spec.js';

/** A completion read as a grade, or why it could not be. */
export type AnswerReading =
  | { ok: true; grade: Grade }
  | { ok: false; code: 'unparseable_answer' | 'truncated' | 'refused'; message: string; content: string | null };

/**
 * Reads the judge's answer. An answer that fits no schema, an empty answer, a refusal or a cut-off
 * answer is never turned into a score: it is reported, so the caller can re-ask or record it.
 */
export function readCompletion(completion: ChatCompletion, spec: AnswerSpec): AnswerReading {
  const choice = completion.choices?.[0];
  if (!choice) return { ok: false, code: 'unparseable_answer', message: 'the answer has no choices', content: null };
  const content = choice.message?.content ?? null;
  if (choice.finish_reason === 'length') {
    return { ok: false, code: 'truncated', message: 'the answer was cut off at max_tokens', content };
  }
  if (choice.message?.refusal || choice.finish_reason === 'content_filter') {
    const reason = choice.message?.refusal ?? 'the content filter stopped the answer';
    return { ok: false, code: 'refused', message: `the judge refused: ${reason}`, content };
  }
  if (content === null || content.trim() === '') {
    return { ok: false, code: 'unparseable_answer', message: 'the answer is empty', content };
  }

  let structured: unknown;
  try {
    structured = JSON.parse(content);
  } catch {
    structured = undefined;
  }
  const direct = structured === undefined ? undefined : spec.schema.safeParse(structured);
  if (direct?.success) return { ok: true, grade: spec.toGrade(direct.data) };

  const fromText = spec.readTextAnswer(content);
  const textual = fromText === null ? undefined : spec.schema.safeParse(fromText);
  if (textual?.success) return { ok: true, grade: spec.toGrade(textual.data) };

  const failed = direct ?? textual;
  const problem = failed && !failed.success ? oneLine(z.prettifyError(failed.error)) : 'no answer in the expected format was found';
  return { ok: false, code: 'unparseable_answer', message: `the answer does not fit the schema: ${problem}`, content };
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/✖\s*/g, '').trim();
}
