import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';

/** What a test may set of a completion's one choice, and its usage. */
export interface CompletionParts {
  finish_reason?: unknown;
  /** Added to the message (refusal, reasoning_content, …). */
  message?: Record<string, unknown>;
  logprobs?: ChatCompletion.Choice['logprobs'];
  usage?: CompletionUsage;
}

/** A chat completion as a server sends it, its one choice answering `content` (finish_reason stop unless set). */
export function chatCompletion(content: string | null, parts: CompletionParts = {}): ChatCompletion {
  return {
    id: 'c',
    object: 'chat.completion',
    created: 0,
    model: 'm',
    choices: [
      {
        index: 0,
        logprobs: parts.logprobs ?? null,
        finish_reason: (parts.finish_reason ?? 'stop') as 'stop',
        message: { role: 'assistant', content, refusal: null, ...parts.message },
      },
    ],
    ...(parts.usage ? { usage: parts.usage } : {}),
  };
}
