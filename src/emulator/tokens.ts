/**
 * Token arithmetic. A real tokenizer is not needed: the emulator only has to be consistent, and
 * chars/4 is the estimate clients use too, so budgets computed on either side agree.
 */
import type { ChatMessage, ChatRequest } from './request-schema.js';

/** Completion tokens charged to the rate budget when the request sets no maximum (OpenAI's default). */
export const defaultMaxCompletionTokens = 16;

/** The text of one message: a string, the text parts joined, or '' for null/absent content. */
export function messageText(message: ChatMessage): string {
  const content = message.content;
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => part.text).join('');
  return '';
}

/** Every message's text joined by newlines: what answers, fault matching and the log look at. */
export function promptText(messages: readonly ChatMessage[]): string {
  return messages.map(messageText).join('\n');
}

/** Σ (ceil(chars/4) + 4) + 3: per-message overhead plus the reply primer, as OpenAI counts it. */
export function countPromptTokens(messages: readonly ChatMessage[]): number {
  let tokens = 3;
  for (const message of messages) tokens += Math.ceil(messageText(message).length / 4) + 4;
  return tokens;
}

/** ceil(chars/4) of the answer text. */
export function countCompletionTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

/** Tokens a request costs against the TPM budget: its prompt plus the most it may generate. */
export function rateCharge(request: Pick<ChatRequest, 'max_completion_tokens' | 'max_tokens'>, promptTokens: number): number {
  return promptTokens + (request.max_completion_tokens ?? request.max_tokens ?? defaultMaxCompletionTokens);
}
