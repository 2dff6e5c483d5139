import type { ChatCompletion } from 'openai/resources/chat/completions';
import { cacheKey, type SampleSlot } from './key.js';
import { isCacheable, type CachePolicy } from './policy.js';
import type { PackStore } from './pack-store.js';

/** What a judge's cache needs: the run's store (one for all its judges), which server it talks to, when it may cache. */
export interface ResponseCacheOptions {
  store: PackStore;
  baseUrl: string;
  policy: Exclude<CachePolicy, 'off'>;
}

/** What the send site learns from a lookup: the cached answer, or the key to keep the answer under. */
export type Lookup = { hit: ChatCompletion } | { hit?: undefined; sent: (completion: ChatCompletion) => void };

/**
 * One judge's response cache. The send site looks a request up before the rate gate and the cost
 * budget; an answer that went out is remembered with its key, and kept once the judge module has read
 * it as a grade, so errors, refusals and truncated answers are never stored.
 */
export class ResponseCache {
  private readonly keys = new WeakMap<ChatCompletion, string>();
  private readonly hits = new WeakSet<ChatCompletion>();

  constructor(private readonly options: ResponseCacheOptions) {}

  /** The cached answer to this request, or (for a cacheable one) a hook to call with the server's answer. */
  async lookup(body: { model: string; temperature?: number | null }, sample: SampleSlot): Promise<Lookup | undefined> {
    if (!isCacheable(this.options.policy, body)) return undefined;
    const key = cacheKey({ baseUrl: this.options.baseUrl, body, sample });
    const hit = this.options.store.read(key);
    if (hit) {
      this.hits.add(hit);
      return { hit };
    }
    return { sent: (completion) => this.keys.set(completion, key) };
  }

  /** Whether this answer came from the cache rather than the server. */
  isHit(completion: ChatCompletion): boolean {
    return this.hits.has(completion);
  }

  /** Stores an answer that read as a grade; one from the cache or not cacheable is left alone. */
  async keep(completion: ChatCompletion): Promise<void> {
    const key = this.keys.get(completion);
    if (key === undefined) return;
    this.keys.delete(completion);
    this.options.store.write(key, completion, new Date());
  }
}
