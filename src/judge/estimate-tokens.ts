import type { ChatMessage } from '../prompt/template.js';

/**
 * Tokens the rate limiter will count for a request: the prompt (about four characters a token,
 * plus a few per message for the chat framing) and the most the answer may use.
 */
export function estimateRequestTokens(messages: readonly ChatMessage[], maxCompletionTokens: number): number {
  let prompt = 3;
  for (const message of messages) prompt += Math.ceil(message.content.length / 4) + 4;
  return prompt + maxCompletionTokens;
}
