import type { ChatCompletion } from 'openai/resources/chat/completions';
import * as z from 'zod';

/** The format tag every entry carries; an entry of another format is a miss. */
const ENTRY_FORMAT = 'verdict-cache/1';

const count = z.number().int().nonnegative();

/**
 * A chat completion as the cache keeps it, checked on read as a server's answer would be: at least
 * one choice with a message, and usage in whole tokens. Other fields (logprobs, ids) pass untouched.
 */
const CachedCompletion = z.looseObject({
  id: z.string(),
  model: z.string(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().int(),
        message: z.looseObject({ role: z.literal('assistant'), content: z.string().nullable() }),
        finish_reason: z.string().nullable(),
      }),
    )
    .min(1),
  usage: z
    .looseObject({
      prompt_tokens: count,
      completion_tokens: count,
    })
    .optional(),
});

/** One cache entry (a line of a pack): its format, the key it answers (re-checked on read), when it was stored, and the answer. */
const CacheEntry = z.object({
  format: z.literal(ENTRY_FORMAT),
  key: z.string().regex(/^[0-9a-f]{64}$/),
  stored_at: z.string(),
  completion: CachedCompletion,
});

/** The completion in `text` when it is a whole, well-formed entry for `key`; undefined otherwise (a miss). */
export function parseEntry(text: string, key: string): ChatCompletion | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const checked = CacheEntry.safeParse(value);
  // An entry found under another key (two keys sharing the index's head, a line copied) answers some other request.
  if (!checked.success || checked.data.key !== key) return undefined;
  return checked.data.completion as unknown as ChatCompletion;
}

/** The text of an entry answering `key`: one line, its format and key first, which is how a pack's scan finds the key. */
export function entryText(key: string, completion: ChatCompletion, storedAt: Date): string {
  return `${JSON.stringify({ format: ENTRY_FORMAT, key, stored_at: storedAt.toISOString(), completion })}\n`;
}
