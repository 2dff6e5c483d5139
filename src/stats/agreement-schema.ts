import * as z from 'zod';

const count = z.number().int().nonnegative();
const coefficient = z.number().min(-1).max(1).nullable();
const share = z.number().min(0).max(1).nullable();
// Kappa is at most 1; how far below 0 it can go depends on the margins and weights.
const kappa = z.number().max(1).nullable();
const interval = z.tuple([z.number(), z.number()]).nullable();

/**
 * What the compared values are, which decides the figures that apply: `ordinal` whole-number scores
 * on both sides (quadratic-weighted kappa), `continuous` scores that are not all whole numbers
 * (correlations only), `pairwise` verdicts A / B / tie, `binary` pass / fail, `nominal` unordered
 * classify labels (no correlations).
 */
export const AgreementScale = z.enum(['ordinal', 'continuous', 'pairwise', 'binary', 'nominal']);
export type AgreementScale = z.infer<typeof AgreementScale>;

/** Rows left out of the agreement, by reason. */
export const AgreementSkipped = z.object({
  /** Records that ended in error. */
  errors: count,
  /** Rows whose label field is absent, null or empty. */
  no_label: count,
  /** Graded records without the judge value compared (no score, no such criterion). */
  no_judge_value: count,
  /** With --group-by: rows without the group field. */
  no_group: count.optional(),
});
export type AgreementSkipped = z.infer<typeof AgreementSkipped>;

/** Pairwise agreement over the rows where neither side said tie (as MT-Bench reports it). */
export const AgreementWithoutTies = z.object({
  n: count,
  accuracy: share,
  accuracy_ci95: interval,
  kappa,
  kappa_ci95: interval,
});
export type AgreementWithoutTies = z.infer<typeof AgreementWithoutTies>;

/**
 * Pairwise records judged in both orders, taken one order at a time (as LLMBar reports a judge):
 * the accuracy of the AB and of the BA verdicts against the label, their mean, and the share of
 * judgements whose verdict survived the swap (positional agreement, 1 − the flip rate).
 */
export const AgreementByOrder = z.object({
  /** Judgements (record × repeat) seen in both orders. */
  n: count,
  ab_accuracy: share,
  ba_accuracy: share,
  mean_accuracy: share,
  positional_agreement: share,
});
export type AgreementByOrder = z.infer<typeof AgreementByOrder>;

/**
 * The judge against human labels (`verdict stats --label-field`), the `agreement` key of the
 * summary. Figures that do not apply or are undefined are null, and `notes` says why.
 */
export const Agreement = z.object({
  /** The row field holding the human label (a dotted path). */
  label_field: z.string(),
  /** The judge value compared: "score", "pass", "verdict", "label" or "criteria.<name>". */
  judge_field: z.string(),
  scale: AgreementScale,
  /** Rows compared. */
  n: count,
  skipped: AgreementSkipped,
  accuracy: share,
  accuracy_ci95: interval,
  kappa,
  kappa_ci95: interval,
  /** How kappa weighs disagreements; null when there is no kappa. */
  kappa_weights: z.enum(['none', 'quadratic']).nullable(),
  /** Categorical scales (pairwise, binary, nominal) only. */
  macro_f1: share.optional(),
  macro_f1_ci95: interval.optional(),
  spearman: coefficient,
  spearman_ci95: interval,
  kendall: coefficient,
  kendall_ci95: interval,
  pearson: coefficient,
  pearson_ci95: interval,
  /** Rows: human label; columns: judge value; both in `labels` order. Null for continuous scores. */
  confusion: z.object({ labels: z.array(z.string()), matrix: z.array(z.array(count)) }).nullable(),
  /** Pairwise only. */
  without_ties: AgreementWithoutTies.optional(),
  /** Pairwise records that kept both orders' samples only. */
  by_order: AgreementByOrder.optional(),
  /**
   * With --group-by: correlations are computed within each group and averaged over the groups
   * where neither side is constant (`used` of `total`); accuracy and kappa stay over all rows.
   */
  groups: z.object({ field: z.string(), total: count, used: count }).optional(),
  /** How the 95% intervals were drawn: percentile bootstrap over rows, or over groups with --group-by. */
  bootstrap: z.object({ resamples: count, seed: z.number().int(), unit: z.enum(['row', 'group']) }).nullable(),
  /** Why a figure is null, in words. */
  notes: z.array(z.string()),
});
export type Agreement = z.infer<typeof Agreement>;
