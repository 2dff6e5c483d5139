import type { ChatMessage } from '../prompt/template.js';

/**
 * Tokens the prompt of a request will count: about four characters a token, plus a few per
 * message for the chat framing. The request gate calibrates it against the `usage` servers return.
 */
export function estimatePromptTokens(messages: readonly ChatMessage[]): number {
  let prompt = 3;
  for (const message of messages) prompt += Math.ceil(message.content.length / 4) + 4;
  return prompt;
}

/**
 * Tokens the rate limiter will count for a request: the prompt (about four characters a token,
 * plus a few per message for the chat framing) and the most the answer may use.
 */
export function estimateRequestTokens(messages: readonly ChatMessage[], maxCompletionTokens: number): number {
  return estimatePromptTokens(messages) + maxCompletionTokens;
}
