import { APIError } from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import * as z from 'zod';
import type { RowFields } from '../dataset/types.js';
import type { AnswerSpec, Grade } from '../judge/answer-spec.js';
import { unusualFinishReason } from '../dialect/finish-reason.js';
import { readCompletion } from '../judge/read-completion.js';
import type { ErrorCode, RecordError, ResultRecord, Usage } from '../results/record.js';
import { classifyError } from '../scheduler/classify.js';
import { usageOf } from '../judge/send-completion.js';
import { buildRecord } from '../results/build-record.js';

/** One line of a batch output or error file (OpenAI's `BatchRequestOutput`). */
const OutputLine = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number().int(), body: z.unknown() }).nullable(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullable(),
});

/** What one request of a batch came to: a grade, or an error, and the tokens it used. */
export interface LineOutcome {
  grade: Grade | null;
  error: RecordError | null;
  usage: Usage;
  /** A finish_reason no server documents, kept in the record as in a synchronous run. */
  finishReason?: string;
}

/**
 * Reads one output or error line. A 200 answer is read by the same `readCompletion` as a
 * synchronous answer; an answer that cannot be used (unparseable, cut off, refused) is an error,
 * since a batch cannot re-ask the way the synchronous path does. A non-200 answer is classified by
 * status and error body like a failed request; a line with only an `error` (say, `batch_expired`)
 * keeps its code in the message. Undefined for a line that is not in this shape.
 */
export function readOutputLine(text: string, spec: AnswerSpec): { customId: string; outcome: LineOutcome } | undefined {
  let parsed: ReturnType<typeof OutputLine.safeParse>;
  try {
    parsed = OutputLine.safeParse(JSON.parse(text));
  } catch {
    return undefined;
  }
  if (!parsed.success) return undefined;
  const { custom_id: customId, response, error } = parsed.data;
  const noUsage = { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 };
  if (response && response.status_code === 200) {
    const body = response.body;
    const completion = (typeof body === 'object' && body !== null ? body : {}) as ChatCompletion;
    const usage = usageOf(completion);
    const reading = readCompletion(completion, spec);
    const finishReason = unusualFinishReason(completion.choices?.[0]?.finish_reason);
    const unusual = finishReason === undefined ? {} : { finishReason };
    if (reading.ok) return { customId, outcome: { grade: reading.grade, error: null, usage, ...unusual } };
    return { customId, outcome: { grade: null, error: { code: reading.code, message: reading.message }, usage, ...unusual } };
  }
  if (response) {
    const failure = APIError.generate(response.status_code, response.body as object | undefined, undefined, new Headers());
    const decision = classifyError(failure);
    const code: ErrorCode = decision.action === 'abort' ? 'unknown_error' : decision.code;
    return { customId, outcome: { grade: null, error: { code, message: decision.message }, usage: noUsage } };
  }
  const apiCode = error?.code ?? 'unknown';
  const message = `${apiCode}: ${error?.message ?? 'the request got no answer'}`;
  return { customId, outcome: { grade: null, error: { code: apiCode === 'batch_expired' ? 'timeout' : 'unknown_error', message }, usage: noUsage } };
}

/**
 * The record of a row graded in a batch: the fields of a synchronous record, with one attempt and
 * no latency (the API does not say how long one request of a batch took).
 */
export function batchRecord(id: string, fields: RowFields, outcome: LineOutcome, judge: ResultRecord['judge']): ResultRecord {
  // readOutputLine gives every line without a grade its error.
  const result = outcome.grade === null ? { error: outcome.error! } : { grade: outcome.grade, scoring: 'answer' as const };
  return buildRecord({ id, fields, judge }, result, { attempts: 1, latencyMs: 0, waitMs: 0, usage: outcome.usage, finishReason: outcome.finishReason });
}
