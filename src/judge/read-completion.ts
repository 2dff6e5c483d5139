import type { ChatCompletion } from 'openai/resources/chat/completions';
import * as z from 'zod';
import { finishKindOf } from '../dialect/finish-reason.js';
import { withoutThinking } from '../dialect/think-block.js';
import type { AnswerSpec, Grade } from './answer-spec.js';
import { finalJsonObject } from './text-answers.js';

/** A completion read as a grade, or why it could not be. */
export type AnswerReading =
  | { ok: true; grade: Grade }
  | { ok: false; code: 'unparseable_answer' | 'truncated' | 'refused'; message: string; content: string | null };

/**
 * Reads the judge's answer. An answer that fits no schema, an empty answer, a refusal or a cut-off
 * answer is never turned into a score: it is reported, so the caller can re-ask or record it. A
 * leading `<think>` block is not the answer; `reasoning` / `reasoning_content` fields are never read.
 */
export function readCompletion(completion: ChatCompletion, spec: AnswerSpec): AnswerReading {
  const choice = completion.choices?.[0];
  if (!choice) return { ok: false, code: 'unparseable_answer', message: 'the answer has no choices', content: null };
  const raw = choice.message?.content ?? null;
  const content = raw === null ? null : withoutThinking(raw);
  const finish = finishKindOf(choice.finish_reason);
  if (finish === 'length') {
    const reasoning = completion.usage?.completion_tokens_details?.reasoning_tokens;
    const why = isEmpty(content) && reasoning ? `reasoning used ${reasoning} of the tokens allowed, leaving no answer` : 'the answer was cut off at max_tokens';
    return { ok: false, code: 'truncated', message: why, content };
  }
  if (choice.message?.refusal || finish === 'content_filter') {
    const reason = choice.message?.refusal ?? 'the content filter stopped the answer';
    return { ok: false, code: 'refused', message: `the judge refused: ${reason}`, content };
  }
  // A finish_reason no server documents is kept in the message, and the answer read on its merits.
  const unknownFinish = finish === 'unknown' && choice.finish_reason != null ? ` (finish_reason "${String(choice.finish_reason)}")` : '';
  if (content === null || content.trim() === '') {
    return { ok: false, code: 'unparseable_answer', message: `the answer is empty${unknownFinish}`, content };
  }

  let structured: unknown;
  try {
    structured = JSON.parse(content);
  } catch {
    structured = undefined;
  }
  const direct = structured === undefined ? undefined : spec.schema.safeParse(structured);
  if (direct?.success) return { ok: true, grade: spec.toGrade(direct.data) };

  // In text, the judge's final JSON object is its answer, fitting or not; otherwise its mode reads its last line.
  const fromText = finalJsonObject(content) ?? spec.readTextAnswer(content);
  const textual = fromText === null ? undefined : spec.schema.safeParse(fromText);
  if (textual?.success) return { ok: true, grade: spec.toGrade(textual.data) };

  const failed = direct ?? textual;
  const problem = failed && !failed.success ? oneLine(z.prettifyError(failed.error)) : 'no answer in the expected format was found';
  return { ok: false, code: 'unparseable_answer', message: `the answer does not fit the schema: ${problem}${unknownFinish}`, content };
}

/**
 * Whether the model spent the whole budget reasoning and never answered: cut off at the limit
 * with no answer left, and the usage (reasoning_tokens) or the message (a `reasoning` /
 * `reasoning_content` field, as Ollama, vLLM and DeepSeek send) shows it was thinking.
 */
export function reasoningStarved(completion: ChatCompletion): boolean {
  const choice = completion.choices?.[0];
  if (!choice || finishKindOf(choice.finish_reason) !== 'length') return false;
  const content = choice.message?.content ?? null;
  const thinking = content !== null && /^\s*<think>/.test(content);
  if (!isEmpty(content === null ? null : withoutThinking(content))) return false;
  if ((completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0) > 0 || thinking) return true;
  const message = choice.message as unknown as Record<string, unknown> | undefined;
  return ['reasoning', 'reasoning_content'].some((key) => typeof message?.[key] === 'string' && (message[key] as string).trim() !== '');
}

function isEmpty(content: string | null): boolean {
  return content === null || content.trim() === '';
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/✖\s*/g, '').trim();
}
