import * as z from 'zod';
import type { ResultRecord, Usage } from '../results/record.js';
import { estimateCostUsd, type ModelPrice } from '../pricing/prices.js';

/** The summary's `cache`: answers served from the response cache, and what they would have cost. */
export const CacheSummary = z.object({
  hits: z.number().int().nonnegative(),
  /** null when a model of the cached answers has no price. */
  saved_usd: z.number().nonnegative().nullable(),
});
export type CacheSummary = z.infer<typeof CacheSummary>;

/**
 * Counts the records answered wholly from the cache: one hit per answer (a cached record's attempts),
 * their tokens priced as the run's own would be. A row only partly answered from the cache counts
 * as spent: its record cannot say which of its answers were cached.
 */
export class CacheSavings {
  private hits = 0;
  private readonly usageByModel = new Map<string, Usage>();

  /** Counts `record` when it came from the cache, and says whether it did (its tokens were not spent). */
  add(record: ResultRecord): boolean {
    if (record.cached !== true) return false;
    this.hits += record.attempts;
    const usage = this.usageByModel.get(record.judge.model) ?? { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 };
    usage.prompt_tokens += record.usage.prompt_tokens;
    usage.completion_tokens += record.usage.completion_tokens;
    usage.cached_tokens += record.usage.cached_tokens;
    usage.reasoning_tokens = (usage.reasoning_tokens ?? 0) + (record.usage.reasoning_tokens ?? 0);
    this.usageByModel.set(record.judge.model, usage);
    return true;
  }

  /** The summary's `cache`, or undefined when the cache was off and no record came from it. */
  summary(cacheOn: boolean, price?: { model: string; price: ModelPrice }): CacheSummary | undefined {
    if (!cacheOn && this.hits === 0) return undefined;
    let saved: number | null = 0;
    for (const [model, usage] of this.usageByModel) {
      const cost = estimateCostUsd(model, usage, price?.model === model ? price.price : undefined);
      saved = saved === null || cost === null ? null : saved + cost;
    }
    return { hits: this.hits, saved_usd: saved };
  }
}
