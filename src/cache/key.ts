import { createHash } from 'node:crypto';

/** Which judgement of a row a request is: `--repeat`'s index and, pairwise, the order shown. */
export interface SampleSlot {
  repeat: number;
  order: 'AB' | 'BA' | null;
}

/** Everything that decides an answer: the exact request body, the server it goes to, and the sample it is. */
export interface CacheKeyParts {
  baseUrl: string;
  body: object;
  sample: SampleSlot;
}

/** Bumped when what a key covers changes, so that older entries are misses rather than wrong answers. */
const KEY_VERSION = 'verdict-cache-key/1';

/**
 * The sha256 (hex) of the key: the parts as JSON with every object's keys sorted, so the same request
 * gives the same key whatever order its fields were built in. Two repeats of one request at
 * temperature 0 are different samples and get different keys.
 */
export function cacheKey(parts: CacheKeyParts): string {
  const canonical = canonicalJson([KEY_VERSION, parts.baseUrl.replace(/\/+$/, ''), parts.sample.repeat, parts.sample.order, parts.body]);
  return createHash('sha256').update(canonical).digest('hex');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(item).sort()) sorted[name] = (item as Record<string, unknown>)[name];
    return sorted;
  });
}
