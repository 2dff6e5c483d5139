import * as z from 'zod';
import { PanelAggregate } from '../results/record.js';
import { Agreement } from './agreement-schema.js';

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1).nullable();
const interval = z.tuple([z.number(), z.number()]).nullable();

/**
 * The grade a panel's agreement figures compare: the pairwise verdict, the classify label, the pass
 * of a pass-fail prompt (its scores are 1 and 0), else the score.
 */
export const PanelField = z.enum(['verdict', 'label', 'pass', 'score']);
export type PanelField = z.infer<typeof PanelField>;

/** One judge's values against the panel's grade, over the rows where both have one. */
export const AgreementWithPanel = z.object({
  n: count,
  /** Share of those rows where the judge's value equals the panel's. */
  exact: share,
  /** Scores only: the mean absolute difference between the judge's score and the panel's. */
  mean_abs_diff: z.number().nonnegative().nullable().optional(),
});
export type AgreementWithPanel = z.infer<typeof AgreementWithPanel>;

/** One judge of a panel: its votes, counted as a run of that judge alone would count its rows. */
export const PanelJudge = z.object({
  judge: z.string(),
  /** Rows with a vote of this judge, graded or not. */
  rows: count,
  /** Votes with a grade. */
  graded: count,
  /** Error code → this judge's votes that ended with it. */
  errors: z.record(z.string(), count),
  mean: z.number().nullable(),
  ci95: interval,
  pass_rate: share,
  pass_rate_ci95: interval.optional(),
  /** Pairwise: its verdicts. */
  /** Its verdicts, and when it judged pairs in both orders, the share whose verdict flipped with the order. */
  pairwise: z.object({ a: count, b: count, tie: count, flip_rate: z.number().min(0).max(1).nullable().optional() }).optional(),
  /** classify: label → its votes with it. */
  labels: z.record(z.string(), count).optional(),
  with_panel: AgreementWithPanel,
  /** `verdict stats --label-field`: this judge against the human labels. */
  agreement: Agreement.optional(),
});
export type PanelJudge = z.infer<typeof PanelJudge>;

/**
 * A panel's run (records with `votes`; docs/panels.md "Reading a panel's summary"): each judge,
 * how many judges decided each row, and the judges' agreement with one another.
 */
export const PanelSummary = z.object({
  /** In the order they first appear in the records. */
  judges: z.array(PanelJudge),
  /** How the votes became the row's grade, when the run said (a results file does not). */
  aggregate: PanelAggregate.optional(),
  /** The grade compared by `with_panel` and `alpha`; null when no vote has one. */
  field: PanelField.nullable(),
  /** Rows with votes. */
  rows: count,
  /** Rows graded by every judge of the panel. */
  all_judges: count,
  /** Rows graded by some judges but not all: the others' votes failed. */
  fewer_judges: count,
  /** Rows on which every vote failed (the record's error). */
  no_judge: count,
  /**
   * Krippendorff's alpha between the judges over `field`: interval for scores, nominal for pass,
   * verdicts and labels. Failed votes are missing values; `units` are the rows with two or more
   * values, `values` the values in them.
   */
  alpha: z.object({
    value: z.number().max(1).nullable(),
    level: z.enum(['interval', 'nominal']).nullable(),
    units: count,
    values: count,
  }),
});
export type PanelSummary = z.infer<typeof PanelSummary>;
