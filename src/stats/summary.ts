import * as z from 'zod';
import { addUsageInto, emptyUsage, judgedBothWays, judgementsByRepeat, judgesBehind, Usage, type PanelAggregate, type ResultRecord } from '../results/record.js';
import { costByModel, estimateCostUsd, type ModelPrice } from '../pricing/prices.js';
import { meanConfidenceInterval, RunningMoments, wilsonInterval } from './intervals.js';
import { Agreement } from './agreement-schema.js';
import { modelOfJudgeName } from '../results/judge-names.js';
import { ErrorMessages } from './error-messages.js';
import { CacheSavings, CacheSummary } from './cache-savings.js';
import { PairwiseBiasCounter } from './pairwise-bias.js';
import { StabilityCounter, StabilitySummary } from './stability.js';
import type { PairPaths } from './pair-texts.js';
import { PanelAccumulator } from './panel-summary.js';
import { PanelSummary } from './panel-schema.js';

const count = z.number().int().nonnegative();

/** How a run ended. */
export const RunStatus = z.enum(['complete', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * Verdict counts of a pairwise run: A won, B won, tie; and, over the pairs judged in both orders
 * (`swapped`), the share whose verdict flipped with the order (position bias).
 */
export const PairwiseSummary = z.object({
  a: count,
  b: count,
  tie: count,
  swapped: count.optional(),
  flip_rate: z.number().min(0).max(1).nullable().optional(),
  /** Bias figures over decided judgements (one per order and repeat; src/stats/pairwise-bias.ts, docs/panels.md). */
  longer_wins: z.number().min(0).max(1).nullable().optional(),
  longer_wins_n: count.optional(),
  first_shown_wins: z.number().min(0).max(1).nullable().optional(),
  first_shown_wins_n: count.optional(),
});
export type PairwiseSummary = z.infer<typeof PairwiseSummary>;

/** One criterion of a multi-criteria rubric, over the rows that scored it. */
export const CriterionSummary = z.object({
  n: count,
  mean: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
});
export type CriterionSummary = z.infer<typeof CriterionSummary>;

/** The summary of a run, as `--summary` writes it (SPEC.md "Summary"). */
export const Summary = z.object({
  status: RunStatus,
  model: z.string(),
  prompt: z.string(),
  rows: count,
  graded: count,
  /** Error code → rows that ended with it; codes with no row are absent. */
  errors: z.record(z.string(), count),
  mean: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
  pass_rate: z.number().min(0).max(1).nullable(),
  /** 95% Wilson score interval of the pass rate; null when no row has a pass verdict. */
  pass_rate_ci95: z.tuple([z.number(), z.number()]).nullable().optional(),
  /** Score (as text: "4", "3.67") → graded rows with it. */
  histogram: z.record(z.string(), count),
  pairwise: PairwiseSummary.optional(),
  /** classify runs: label → graded rows with it. */
  labels: z.record(z.string(), count).optional(),
  /** Multi-criteria runs: criterion → its statistics. */
  criteria: z.record(z.string(), CriterionSummary).optional(),
  /** Runs that judged rows more than once. */
  stability: StabilitySummary.optional(),
  /** Which scoring methods produced the scores ("answer", "logprobs") → rows. */
  scoring: z.record(z.string(), count).optional(),
  agreement: Agreement.optional(),
  /** A panel's run (records with votes): each judge, and the judges' agreement. */
  panel: PanelSummary.optional(),
  usage: Usage,
  cost_usd: z.number().nonnegative().nullable(),
  requests: count,
  /** Answers served from the response cache (not sent, not in `requests`, `usage` or `cost_usd`) and their price. */
  cache: CacheSummary.optional(),
  retries: count,
  rate_limited: count,
  /** Seconds dispatch spent waiting for the rate budget or a 429's cooldown; absent where unknown. */
  wait_s: z.number().nonnegative().optional(),
  wall_s: z.number().nonnegative(),
  /** What verdict changed in its requests to suit the judge or the server (a refused parameter, a larger budget), each once. */
  adaptations: z.array(z.string()).optional(),
  /** Why a failed run stopped (a fatal API answer), by the error code a script can test. */
  stop: z.object({ code: z.string(), message: z.string() }).optional(),
  /** When most rows ended in the same error: its code, how many rows, and the server's most common message for it. */
  top_error: z.object({ code: z.string(), rows: count, message: z.string() }).optional(),
});
export type Summary = z.infer<typeof Summary>;

/** What the run knows about itself, beyond its records, when it ends. */
export interface RunFacts {
  status: RunStatus;
  /** Rows in the run, including any never attempted because the run stopped. */
  rows: number;
  requests: number;
  retries: number;
  rateLimited: number;
  /** Time dispatch spent waiting for the rate budget or a cooldown; omitted when not measured. */
  waitMs?: number;
  wallMs: number;
  model: string;
  prompt: string;
  /** The fatal answer that stopped the run, if one did. */
  stop?: { code: string; message: string };
  /** What the run changed in its requests to suit the judge or the server. */
  adaptations?: readonly string[];
  /** The response cache was on: the summary says its hits even when there were none. */
  cacheOn?: boolean;
  /** A panel's run: how its votes became each row's grade. */
  aggregate?: PanelAggregate;
}

/** The histogram key of a score: integers as "4", others rounded to two decimals ("3.67"). */
export function histogramKey(score: number): string {
  return Number.isInteger(score) ? String(score) : String(Number(score.toFixed(2)));
}

/**
 * The row's judgements in both orders, and how many of them flipped: for each judge behind it, one
 * per repeat when it kept its samples, else its own `flipped`. A panel's row pools its judges'.
 */
function swappedPairs(record: ResultRecord): { swapped: number; flipped: number } {
  let swapped = 0;
  let flipped = 0;
  for (const judge of judgesBehind(record)) {
    const pairs = judgementsByRepeat(judge.samples).filter(judgedBothWays);
    if (pairs.length > 0) {
      swapped += pairs.length;
      flipped += pairs.filter((pair) => pair.AB !== pair.BA).length;
    } else if (judge.flipped !== null) {
      swapped += 1;
      if (judge.flipped) flipped += 1;
    }
  }
  return { swapped, flipped };
}

/** Folds records into a summary in memory bounded by distinct scores and models, never by rows. */
export class SummaryAccumulator {
  /**
   * `price` (from --price) prices the run's own judge model instead of the table; `pair` says where
   * pairwise rows hold their two answers, for the longer-answer bias (default output_a / output_b).
   */
  constructor(
    private readonly price?: { model: string; price: ModelPrice },
    pair?: PairPaths,
  ) {
    this.bias = new PairwiseBiasCounter(pair);
  }

  private readonly bias: PairwiseBiasCounter;

  private graded = 0;
  private readonly errors = new Map<string, number>();
  private readonly errorMessages = new ErrorMessages();
  private readonly scores = new RunningMoments();
  private readonly histogram = new Map<string, number>();
  private passes = 0;
  private passVerdicts = 0;
  private readonly pairwise = { a: 0, b: 0, tie: 0, swapped: 0, flipped: 0 };
  private pairwiseSeen = false;
  private readonly labels = new Map<string, number>();
  private readonly criteria = new Map<string, RunningMoments>();
  private readonly scoring = new Map<string, number>();
  private readonly stability = new StabilityCounter();
  // Per judge model, since a record names the snapshot that answered and prices differ by model.
  private readonly usageByModel = new Map<string, Usage>();
  private readonly cache = new CacheSavings();
  // Each judge's figures are counted as this accumulator counts a run's.
  private readonly panel = new PanelAccumulator(() => new SummaryAccumulator());

  /** Counts tokens spent by `model` that no record holds (a row stopped or cancelled mid-way). */
  addUsage(model: string, spent: Usage): void {
    const usage = this.usageByModel.get(model) ?? emptyUsage();
    addUsageInto(usage, spent);
    this.usageByModel.set(model, usage);
  }

  /** A panel's tokens by each judge's model; a vote answered from the cache spent none (its judge's model is still priced, at 0). */
  private addVotes(votes: NonNullable<ResultRecord['votes']>): void {
    for (const vote of votes) this.addUsage(modelOfJudgeName(vote.judge), vote.cached === true ? emptyUsage() : vote.usage);
  }

  /** Counts one record. */
  add(record: ResultRecord): void {
    this.panel.add(record);
    // A cached row's tokens were paid in an earlier run: saved, not spent.
    const cached = this.cache.add(record);
    if (record.votes) this.addVotes(record.votes);
    else if (!cached) this.addUsage(record.judge.model, record.usage);

    if (record.error !== null) {
      this.errors.set(record.error.code, (this.errors.get(record.error.code) ?? 0) + 1);
      this.errorMessages.add(record.error.code, record.error.message);
      return;
    }
    this.graded += 1;
    if (record.score !== null) {
      this.scores.push(record.score);
      const key = histogramKey(record.score);
      this.histogram.set(key, (this.histogram.get(key) ?? 0) + 1);
    }
    if (record.pass !== null) {
      this.passVerdicts += 1;
      if (record.pass) this.passes += 1;
    }
    if (record.verdict !== null) {
      this.pairwiseSeen = true;
      if (record.verdict === 'A') this.pairwise.a += 1;
      else if (record.verdict === 'B') this.pairwise.b += 1;
      else if (record.verdict === 'tie') this.pairwise.tie += 1;
      this.bias.add(record);
      const pairs = swappedPairs(record);
      this.pairwise.swapped += pairs.swapped;
      this.pairwise.flipped += pairs.flipped;
    }
    if (record.label !== null) this.labels.set(record.label, (this.labels.get(record.label) ?? 0) + 1);
    if (record.criteria !== null) {
      for (const [name, value] of Object.entries(record.criteria)) {
        let moments = this.criteria.get(name);
        if (!moments) this.criteria.set(name, (moments = new RunningMoments()));
        moments.push(value);
      }
    }
    if (record.scoring !== null) this.scoring.set(record.scoring, (this.scoring.get(record.scoring) ?? 0) + 1);
    // Stability is about repeats; the two orders of one pairwise judgement are the flip rate's.
    if (record.samples !== null && record.samples.some((sample) => sample.repeat > 1)) this.stability.add(record);
  }

  /** The summary of the records added so far, for a run that ended as `run` says. */
  finish(run: RunFacts): Summary {
    const usage = emptyUsage();
    for (const modelUsage of this.usageByModel.values()) addUsageInto(usage, modelUsage);
    let cost = costByModel(this.usageByModel, this.price);
    if (this.usageByModel.size === 0) cost = estimateCostUsd(run.model, usage, this.price?.price);

    const histogram = [...this.histogram].sort(([a], [b]) => Number(a) - Number(b));
    const cache = this.cache.summary(run.cacheOn === true, this.price);
    const panel = this.panel.finish(run.aggregate);
    const summary: Summary = {
      status: run.status,
      model: run.model,
      prompt: run.prompt,
      rows: run.rows,
      graded: this.graded,
      errors: Object.fromEntries([...this.errors].sort(([a], [b]) => a.localeCompare(b))),
      mean: this.scores.mean,
      ci95: meanConfidenceInterval(this.scores),
      pass_rate: this.passVerdicts === 0 ? null : this.passes / this.passVerdicts,
      pass_rate_ci95: wilsonInterval(this.passes, this.passVerdicts),
      histogram: Object.fromEntries(histogram),
      ...(this.pairwiseSeen ? { pairwise: this.pairwiseSummary() } : {}),
      ...(this.labels.size > 0 ? { labels: Object.fromEntries([...this.labels].sort(([a], [b]) => a.localeCompare(b))) } : {}),
      ...(this.criteria.size > 0 ? { criteria: this.criteriaSummary() } : {}),
      ...(this.stability.rows > 0 ? { stability: this.stability.summary() } : {}),
      ...(this.scoring.size > 0 ? { scoring: Object.fromEntries(this.scoring) } : {}),
      ...(panel ? { panel } : {}),
      usage,
      cost_usd: cost,
      requests: run.requests,
      ...(cache ? { cache } : {}),
      retries: run.retries,
      rate_limited: run.rateLimited,
      ...(run.waitMs !== undefined ? { wait_s: Math.round(run.waitMs) / 1000 } : {}),
      wall_s: Math.round(run.wallMs) / 1000,
      ...(run.adaptations && run.adaptations.length > 0 ? { adaptations: [...run.adaptations] } : {}),
      ...(run.stop ? { stop: { code: run.stop.code, message: run.stop.message } } : {}),
    };
    const topError = this.errorMessages.top(this.errors, this.graded);
    if (topError) summary.top_error = topError;
    return summary;
  }

  private pairwiseSummary(): PairwiseSummary {
    const { a, b, tie, swapped, flipped } = this.pairwise;
    return { a, b, tie, swapped, flip_rate: swapped === 0 ? null : flipped / swapped, ...this.bias.figures() };
  }

  private criteriaSummary(): Record<string, CriterionSummary> {
    return Object.fromEntries(
      [...this.criteria].map(([name, moments]) => [name, { n: moments.count, mean: moments.mean, ci95: meanConfidenceInterval(moments) }]),
    );
  }
}
