import { confusionMatrix, withoutCategories } from './agreement.js';
import { FIGURES, groupFigures, groupParts, rowFigures, rowSampler, type Figure, type Figures } from './agreement-figures.js';
import { Agreement } from './agreement-schema.js';
import { bootstrapIntervals, type BootstrapOptions } from './bootstrap.js';
import { encode, PAIRWISE_CATEGORIES, type LabelledPairs } from './encode-pairs.js';

export type { LabelKind, LabelledPairs, LabelValue } from './encode-pairs.js';

/**
 * Accuracy, Cohen's kappa (quadratic-weighted on an ordinal scale), macro-F1 for categories,
 * Spearman, Kendall tau-b and Pearson, the confusion matrix, agreement without ties for pairwise
 * verdicts, and a 95% percentile-bootstrap interval for each: the judge against the human labels.
 */
export function computeAgreement(pairs: LabelledPairs, bootstrap: BootstrapOptions): Agreement {
  if (pairs.human.length !== pairs.judge.length) throw new RangeError('human labels and judge values differ in number');
  const encoded = encode(pairs);
  const n = pairs.human.length;
  let point: Figures;
  let intervals: Record<Figure, [number, number] | null>;
  let groups: Agreement['groups'];
  if (pairs.groupBy) {
    const index = new Map<string, number[]>();
    pairs.groupBy.keys.forEach((key, row) => {
      const members = index.get(key);
      if (members) members.push(row);
      else index.set(key, [row]);
    });
    const members = [...index.values()];
    const parts = groupParts(encoded, members);
    point = groupFigures(encoded, parts, members.map((_, g) => g));
    intervals = bootstrapIntervals(members.length, (drawn) => groupFigures(encoded, parts, drawn), FIGURES, bootstrap);
    const used = parts.correlations ? parts.correlations.filter((c) => c.spearman !== null).length : 0;
    groups = { field: pairs.groupBy.field, total: members.length, used };
    if (parts.correlations && used === 0 && members.length > 0) {
      encoded.notes.push(`no ${pairs.groupBy.field} group has values that vary on both sides, so there is no correlation`);
    }
  } else {
    const sampler = rowSampler(encoded);
    point = rowFigures(sampler, Array.from({ length: n }, (_, i) => i));
    intervals = bootstrapIntervals(n, (drawn) => rowFigures(sampler, drawn), FIGURES, bootstrap);
    if (encoded.humanValues && n >= 2 && point.spearman === null) {
      const constant = (values: number[]) => values.every((v) => v === values[0]);
      const side = constant(encoded.humanValues) ? 'human labels' : "judge's values";
      encoded.notes.push(`correlations are undefined: the ${side} are all the same`);
    }
  }
  if (n < 2) encoded.notes.push(n === 0 ? 'no rows to compare' : 'one row is too few for a correlation');
  if (encoded.categories && n > 0 && point.kappa === null) encoded.notes.push('kappa is undefined: both sides gave every row the same category');

  const matrix = encoded.categories ? confusionMatrix(encoded.humanCodes, encoded.judgeCodes, encoded.categories.length) : null;
  const withoutTies =
    encoded.scale === 'pairwise' && matrix
      ? {
          n: withoutCategories(matrix, [PAIRWISE_CATEGORIES.indexOf('tie')]).flat().reduce((sum, cell) => sum + cell, 0),
          accuracy: point.nt_accuracy,
          accuracy_ci95: intervals.nt_accuracy,
          kappa: point.nt_kappa,
          kappa_ci95: intervals.nt_kappa,
        }
      : undefined;
  const categorical = encoded.scale === 'pairwise' || encoded.scale === 'binary' || encoded.scale === 'nominal';
  return Agreement.parse({
    label_field: pairs.labelField,
    judge_field: pairs.judgeField,
    scale: encoded.scale,
    n,
    skipped: pairs.skipped,
    accuracy: point.accuracy,
    accuracy_ci95: intervals.accuracy,
    kappa: point.kappa,
    kappa_ci95: intervals.kappa,
    kappa_weights: encoded.categories ? (encoded.scale === 'ordinal' ? 'quadratic' : 'none') : null,
    ...(categorical ? { macro_f1: point.macro_f1, macro_f1_ci95: intervals.macro_f1 } : {}),
    spearman: point.spearman,
    spearman_ci95: intervals.spearman,
    kendall: point.kendall,
    kendall_ci95: intervals.kendall,
    pearson: point.pearson,
    pearson_ci95: intervals.pearson,
    confusion: encoded.categories && matrix ? { labels: encoded.categories, matrix } : null,
    ...(withoutTies ? { without_ties: withoutTies } : {}),
    ...(groups ? { groups } : {}),
    bootstrap: bootstrap.resamples > 0 ? { resamples: bootstrap.resamples, seed: bootstrap.seed, unit: pairs.groupBy ? 'group' : 'row' } : null,
    notes: encoded.notes,
  });
}
