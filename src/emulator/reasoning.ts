/**
 * Reasoning judges and the parameter dialects of other servers, as the emulator plays them
 * (`reasoning` option). Each behaviour is one documented server trait; sources are those of
 * src/dialect/ (refused-parameter.ts, model-families.ts, finish-reason.ts, think-block.ts) and
 * API-NOTES §11:
 * - `reasoningModels`: OpenAI's reasoning models refuse temperature ≠ 1 (400 unsupported_value) and
 *   max_tokens (400 unsupported_parameter);
 * - `refuseMaxCompletionTokens`: Mistral's 422 extra_forbidden, or Azure's 400 "Unrecognized request
 *   argument supplied" (older api-versions);
 * - `ignoreMaxCompletionTokens`: Ollama and llama.cpp before PR #19831 read only max_tokens;
 * - `reasoningTokens`: thinking spends the completion budget first; when it runs out, the content
 *   is empty and finish_reason is length (OpenAI reasoning models, Gemini and Ollama thinking);
 * - `thinkBlock` / `reasoningField`: DeepSeek-R1 and Qwen3 through vLLM, llama.cpp or Ollama write
 *   their thinking into the content or a `reasoning_content` / `reasoning` field; here it holds a
 *   planted grade;
 * - `stopFinishReason` / `lengthFinishReason`: `eos` (Together), `model_length` (Mistral), ….
 */
import * as z from 'zod';
import { errorReply } from './errors.js';
import type { Reply } from './http-io.js';
import type { ChatRequest } from './request-schema.js';
import { countCompletionTokens } from './tokens.js';

/** Which reasoning and dialect behaviours the emulator plays; all off by default. */
export const reasoningBehaviourSchema = z.strictObject({
  /** A regular expression: models matching it refuse temperature other than 1 and refuse max_tokens, as OpenAI's reasoning models do. */
  reasoningModels: z.string().optional(),
  /** Refuse max_completion_tokens in Mistral's shape (422) or Azure's (400). */
  refuseMaxCompletionTokens: z.enum(['mistral', 'azure']).optional(),
  /** Read only max_tokens: max_completion_tokens is no limit at all. */
  ignoreMaxCompletionTokens: z.boolean().optional(),
  /** Tokens of thinking before each answer, counted in the completion budget and in usage as reasoning_tokens. */
  reasoningTokens: z.int().min(0).optional(),
  /** Open the content with a `<think>` block that holds another grade. */
  thinkBlock: z.boolean().optional(),
  /** Add this field to the message, holding another grade: `reasoning_content` (DeepSeek, llama.cpp, vLLM) or `reasoning` (Ollama, vLLM). */
  reasoningField: z.enum(['reasoning_content', 'reasoning']).optional(),
  /** finish_reason sent in place of "stop". */
  stopFinishReason: z.string().min(1).optional(),
  /** finish_reason sent in place of "length". */
  lengthFinishReason: z.string().min(1).optional(),
});
export type ReasoningBehaviour = z.infer<typeof reasoningBehaviourSchema>;

/** The sampling and budget parameters a request sent, for the log. */
export function sentParams(request: ChatRequest): Record<string, unknown> {
  const body = request as Record<string, unknown>;
  const keys = ['temperature', 'reasoning_effort', 'max_completion_tokens', 'max_tokens'];
  return Object.fromEntries(keys.filter((key) => body[key] !== undefined && body[key] !== null).map((key) => [key, body[key]]));
}

/** The refusal a request gets for a parameter this server does not take, if any. */
export function parameterRefusal(request: ChatRequest, behaviour: ReasoningBehaviour): { reply: Reply; outcome: string } | undefined {
  const reasoning = behaviour.reasoningModels !== undefined && new RegExp(behaviour.reasoningModels).test(request.model);
  if (reasoning && request.temperature != null && request.temperature !== 1) {
    const message = `Unsupported value: 'temperature' does not support ${request.temperature} with this model. Only the default (1) value is supported.`;
    return { reply: errorReply(400, { message, type: 'invalid_request_error', param: 'temperature', code: 'unsupported_value' }), outcome: 'temperature_refused' };
  }
  if (reasoning && request.max_tokens != null) {
    const message = "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.";
    return { reply: errorReply(400, { message, type: 'invalid_request_error', param: 'max_tokens', code: 'unsupported_parameter' }), outcome: 'max_tokens_refused' };
  }
  if (request.max_completion_tokens != null && behaviour.refuseMaxCompletionTokens === 'mistral') {
    const detail = [{ type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: request.max_completion_tokens }];
    const body = { object: 'error', message: { detail }, type: 'invalid_request_error', param: null, code: null };
    return { reply: { type: 'json', status: 422, body }, outcome: 'max_completion_tokens_refused' };
  }
  if (request.max_completion_tokens != null && behaviour.refuseMaxCompletionTokens === 'azure') {
    const message = 'Unrecognized request argument supplied: max_completion_tokens';
    return { reply: errorReply(400, { message, type: 'invalid_request_error' }), outcome: 'max_completion_tokens_refused' };
  }
  return undefined;
}

/** The answer a server of this kind gives: thinking within the budget, the grade after it, its own finish_reason. */
export function reasoningAnswer(
  completion: Record<string, unknown>,
  request: ChatRequest,
  behaviour: ReasoningBehaviour,
  plantedGrade: string,
): Record<string, unknown> {
  const choice = (completion.choices as Record<string, unknown>[])[0]!;
  const message = choice.message as Record<string, unknown>;
  const usage = completion.usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number; completion_tokens_details: { reasoning_tokens: number } };
  const limit = (behaviour.ignoreMaxCompletionTokens ? request.max_tokens : (request.max_completion_tokens ?? request.max_tokens)) ?? Infinity;
  const thinking = behaviour.reasoningTokens ?? 0;
  let content = `${behaviour.thinkBlock ? `<think>${plantedGrade}</think>\n` : ''}${String(message.content ?? '')}`;
  let answerTokens = countCompletionTokens(content);
  let finish = 'stop';
  if (thinking + answerTokens > limit) {
    // The budget holds the thinking first; what is left of it (possibly nothing) is the answer's.
    answerTokens = Math.max(0, limit - thinking);
    content = content.slice(0, answerTokens * 4);
    finish = 'length';
  }
  const reasoningTokens = Math.min(thinking, limit);
  message.content = content;
  if (behaviour.reasoningField) message[behaviour.reasoningField] = plantedGrade;
  choice.finish_reason = finish === 'stop' ? (behaviour.stopFinishReason ?? 'stop') : (behaviour.lengthFinishReason ?? 'length');
  usage.completion_tokens = reasoningTokens + answerTokens;
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  usage.completion_tokens_details.reasoning_tokens = reasoningTokens;
  return completion;
}

/**
 * Another grade than the answer's, for the thinking to hold: a grade a client reads from the
 * thinking shows up as a different score, pass or verdict than the emulator's answer.
 */
export function plantedGrade(content: string): string {
  const other = (score: number) => (score === 1 ? 2 : 1);
  let answer: unknown;
  try {
    answer = JSON.parse(content);
  } catch {
    return content.replace(/Score: (\d+)/g, (_, n: string) => `Score: ${other(Number(n))}`).replace(/Verdict: (PASS|FAIL)/g, (_, v: string) => `Verdict: ${v === 'PASS' ? 'FAIL' : 'PASS'}`);
  }
  if (typeof answer !== 'object' || answer === null) return content;
  const planted: Record<string, unknown> = { ...(answer as Record<string, unknown>), reasoning: 'A first draft.' };
  if (typeof planted.score === 'number') planted.score = other(planted.score);
  if (typeof planted.pass === 'boolean') planted.pass = !planted.pass;
  if (planted.verdict === 'A' || planted.verdict === 'B') planted.verdict = planted.verdict === 'A' ? 'B' : 'A';
  const score = typeof planted.score === 'number' ? `\nScore: ${planted.score}` : '';
  return `${JSON.stringify(planted)}${score}`;
}
