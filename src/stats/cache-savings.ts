import * as z from 'zod';
import { addUsageInto, emptyUsage, type ResultRecord, type Usage } from '../results/record.js';
import { costByModel, type ModelPrice } from '../pricing/prices.js';
import { modelOfJudgeName } from '../results/judge-names.js';

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
    // A panel's votes say which judges' answers came from the cache, each priced by its judge's model.
    if (record.votes) {
      for (const vote of record.votes) if (vote.cached === true) this.count(modelOfJudgeName(vote.judge), vote.attempts, vote.usage);
      return record.cached === true;
    }
    if (record.cached !== true) return false;
    this.count(record.judge.model, record.attempts, record.usage);
    return true;
  }

  private count(model: string, answers: number, spent: Usage): void {
    this.hits += answers;
    const usage = this.usageByModel.get(model) ?? emptyUsage();
    addUsageInto(usage, spent);
    this.usageByModel.set(model, usage);
  }

  /** The summary's `cache`, or undefined when the cache was off and no record came from it. */
  summary(cacheOn: boolean, price?: { model: string; price: ModelPrice }): CacheSummary | undefined {
    if (!cacheOn && this.hits === 0) return undefined;
    return { hits: this.hits, saved_usd: costByModel(this.usageByModel, price) };
  }
}
