import { randomBytes } from 'node:crypto';
import { hashParts } from './random.js';
import { countCompletionTokens } from './tokens.js';

/** What goes into one `chat.completion` object. */
export interface CompletionParts {
  model: string;
  /** The answer text; null when the model refused. */
  content: string | null;
  refusal?: string | null;
  finishReason?: 'stop' | 'length';
  promptTokens: number;
  seed: number;
  /** `choices[0].logprobs.content`, when the request asked for logprobs. */
  logprobs?: unknown[];
}

const idAlphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A fresh `chatcmpl-…` id shaped like OpenAI's (29 alphanumerics). */
export function completionId(): string {
  return `chatcmpl-${[...randomBytes(29)].map((byte) => idAlphabet[byte % idAlphabet.length]).join('')}`;
}

/** A fresh `req_…` request id (32 hex digits), as sent in `x-request-id`. */
export function requestId(): string {
  return `req_${randomBytes(16).toString('hex')}`;
}

/** A complete `chat.completion` object with every field the real API sends. */
export function chatCompletion(parts: CompletionParts): Record<string, unknown> {
  const completionTokens = countCompletionTokens(parts.content ?? parts.refusal ?? '');
  return {
    id: completionId(),
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: parts.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: parts.content, refusal: parts.refusal ?? null, annotations: [] },
        logprobs: parts.logprobs ? { content: parts.logprobs, refusal: null } : null,
        finish_reason: parts.finishReason ?? 'stop',
      },
    ],
    usage: {
      prompt_tokens: parts.promptTokens,
      completion_tokens: completionTokens,
      total_tokens: parts.promptTokens + completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    service_tier: 'default',
    // Stable per seed, like a real deployment's fingerprint between model updates.
    system_fingerprint: `fp_${hashParts('fingerprint', parts.seed).toString(16).padStart(8, '0')}`,
  };
}
