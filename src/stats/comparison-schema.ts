import * as z from 'zod';

const count = z.number().int().nonnegative();
const interval = z.tuple([z.number(), z.number()]).nullable();

/** One of the two results files compared. */
export const CompareSide = z.object({
  file: z.string(),
  /** Judge models and prompts of its records. */
  models: z.array(z.string()),
  prompts: z.array(z.string()),
  /** Distinct ids. */
  records: count,
  /** Records dropped because a later record of the same file has their id. */
  replaced: count,
});
export type CompareSide = z.infer<typeof CompareSide>;

/**
 * What a baseline gate compares: `mean` (scores, or one criterion's), `pass_rate` (pass = 1, fail = 0)
 * or `win_rate` (pairwise: how often output A is preferred, a tie counting half).
 */
export const COMPARE_METRICS = ['mean', 'pass_rate', 'win_rate'] as const;
export type CompareMetric = (typeof COMPARE_METRICS)[number];

/** One id whose value fell from a to b. */
export const WorseRow = z.object({ id: z.string(), a: z.number(), b: z.number(), diff: z.number() });
export type WorseRow = z.infer<typeof WorseRow>;

/**
 * `verdict compare a b`: the two files' values on the ids graded without error in both, b against a.
 * Differences are b - a, so a positive mean difference, and a win, is b scoring higher.
 */
export const Comparison = z.object({
  a: CompareSide,
  b: CompareSide,
  /** The value compared: "score", "pass" (1/0), "verdict" (A = 1, tie = 0.5, B = 0) or "criteria.<name>". */
  value: z.string(),
  /** The figure the value's mean is: mean (score or criterion), pass_rate or win_rate. */
  metric: z.enum(COMPARE_METRICS),
  /** Ids graded without error, with the value, in both files. */
  n: count,
  mean_a: z.number().nullable(),
  mean_b: z.number().nullable(),
  mean_diff: z.number().nullable(),
  /** Paired percentile bootstrap over the ids. */
  mean_diff_ci95: interval,
  /** Ids where b is higher than a, equal, lower. */
  wins: count,
  ties: count,
  losses: count,
  /** Exact two-sided sign test over the ids that are not ties; null when every id is a tie. */
  sign_test_p: z.number().min(0).max(1).nullable(),
  only_in_a: count,
  only_in_b: count,
  /** Ids in both files whose record in a (in b) ended in error; an id that failed in both counts in both. */
  errored: z.object({ a: count, b: count }),
  /** Ids graded in both where a record lacks the value (no such criterion, no score). */
  no_value: count,
  bootstrap: z.object({ resamples: count, seed: z.number().int() }).nullable(),
  /** The ids that fell most from a to b (lowest b - a first, then in a's order), at most ten. */
  worse: z.array(WorseRow),
});
export type Comparison = z.infer<typeof Comparison>;

/** --fail-if-worse: how far below the baseline is tolerated, in the metric's units (score points, or a rate's fraction). */
export const failIfWorse = z.coerce.number({ error: '--fail-if-worse must be a number' }).min(0, '--fail-if-worse must be 0 or more');
/** --metric: the figure a baseline comparison is about. */
export const compareMetric = z.enum(COMPARE_METRICS, { error: `--metric takes one of ${COMPARE_METRICS.join(', ')}` });
