/**
 * `finish_reason` as other servers spell it, read as what it means for an answer. OpenAI sends
 * stop | length | content_filter | tool_calls | function_call (openai-node ChatCompletion). Others:
 * - Together, TGI: `eos` (API-NOTES §11), `eos_token`;
 * - Mistral: `model_length` (the model's context ran out) and `error` (API-NOTES §11);
 * - Anthropic's stop_reason, passed through by proxies: `end_turn`, `stop_sequence`, `max_tokens`;
 * - Gemini's native finishReason, passed through in upper case: `STOP`, `MAX_TOKENS`, `SAFETY`,
 *   `RECITATION`; the Responses API's `max_output_tokens`.
 * A value not listed is kept as it came (for the record's message) and the answer is read on its merits.
 */

/** What a finish reason means for reading the answer. */
export type FinishKind = 'stop' | 'length' | 'content_filter' | 'tool_calls' | 'unknown';

const FINISH_KINDS: Readonly<Record<string, FinishKind>> = {
  stop: 'stop',
  eos: 'stop',
  eos_token: 'stop',
  end_turn: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  max_tokens: 'length',
  model_length: 'length',
  max_output_tokens: 'length',
  content_filter: 'content_filter',
  safety: 'content_filter',
  recitation: 'content_filter',
  tool_calls: 'tool_calls',
  function_call: 'tool_calls',
};

/**
 * The finish_reason as the server sent it when it is a value no server documents, for the record to
 * keep; undefined for a known value or none at all.
 */
export function unusualFinishReason(finishReason: unknown): string | undefined {
  return typeof finishReason === 'string' && finishKindOf(finishReason) === 'unknown' ? finishReason : undefined;
}

/** The meaning of a choice's finish_reason; `unknown` for a value no server documents (or none at all). */
export function finishKindOf(finishReason: unknown): FinishKind {
  if (typeof finishReason !== 'string') return 'unknown';
  return FINISH_KINDS[finishReason.trim().toLowerCase()] ?? 'unknown';
}
