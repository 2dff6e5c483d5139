/**
 * The agreement figures of one sample of rows or of groups: the point estimate is the figures of
 * the sample itself, each bootstrap resample's are the figures of the rows (or groups) it drew.
 */
import { accuracyOf, addInto, cohenKappaOf, confusionMatrix, emptyMatrix, macroF1Of, withoutCategories, type ConfusionMatrix, type KappaWeights } from './agreement.js';
import { correlationsOfTable, distinctIndex } from './contingency.js';
import { correlations, type Correlations } from './correlation.js';
import { PAIRWISE_CATEGORIES, type Encoded } from './encode-pairs.js';

/** The figures computed on the sample and on every resample. */
export const FIGURES = ['accuracy', 'kappa', 'macro_f1', 'spearman', 'kendall', 'pearson', 'nt_accuracy', 'nt_kappa'] as const;
export type Figure = (typeof FIGURES)[number];
export type Figures = Record<Figure, number | null>;

/** The figures of one confusion matrix (or none) and one set of correlations (or none). */
function figuresOf(encoded: Encoded, matrix: ConfusionMatrix | null, correlation: Correlations | null): Figures {
  const weights: KappaWeights = encoded.scale === 'ordinal' ? 'quadratic' : 'none';
  const tie = encoded.scale === 'pairwise' ? PAIRWISE_CATEGORIES.indexOf('tie') : -1;
  const withoutTies = matrix !== null && tie >= 0 ? withoutCategories(matrix, [tie]) : null;
  return {
    accuracy: matrix && accuracyOf(matrix),
    kappa: matrix && cohenKappaOf(matrix, weights),
    macro_f1: matrix && encoded.scale !== 'ordinal' ? macroF1Of(matrix) : null,
    spearman: correlation?.spearman ?? null,
    kendall: correlation?.kendall ?? null,
    pearson: correlation?.pearson ?? null,
    nt_accuracy: withoutTies && accuracyOf(withoutTies),
    nt_kappa: withoutTies && cohenKappaOf(withoutTies, 'none'),
  };
}

const pick = <T>(values: readonly T[], indices: ArrayLike<number>): T[] => Array.from(indices, (i) => values[i]!);

// Tables up to this many cells per row are cheaper than sorting the rows of every resample.
const TABLE_CELLS_PER_ROW = 16;

/** What a resample of rows needs, prepared once: the values as positions in a table of distinct values, when that table is small. */
export interface RowSampler {
  encoded: Encoded;
  table: { xs: number[]; ys: number[]; xIndex: Int32Array; yIndex: Int32Array } | null;
}

/** Prepares the rows for resampling. */
export function rowSampler(encoded: Encoded): RowSampler {
  if (!encoded.humanValues || !encoded.judgeValues) return { encoded, table: null };
  const x = distinctIndex(encoded.humanValues);
  const y = distinctIndex(encoded.judgeValues);
  const cells = x.distinct.length * y.distinct.length;
  const small = cells <= Math.max(1024, TABLE_CELLS_PER_ROW * encoded.humanValues.length);
  return { encoded, table: small ? { xs: x.distinct, ys: y.distinct, xIndex: x.index, yIndex: y.index } : null };
}

/** Figures over a resample of rows (indices into the pairs; repeats allowed). */
export function rowFigures(sampler: RowSampler, indices: ArrayLike<number>): Figures {
  const { encoded, table } = sampler;
  let matrix: ConfusionMatrix | null = null;
  if (encoded.categories) {
    matrix = emptyMatrix(encoded.categories.length);
    for (let r = 0; r < indices.length; r++) matrix[encoded.humanCodes[indices[r]!]!]![encoded.judgeCodes[indices[r]!]!]! += 1;
  }
  let correlation: Correlations | null = null;
  if (table) {
    const counts = new Float64Array(table.xs.length * table.ys.length);
    for (let r = 0; r < indices.length; r++) counts[table.xIndex[indices[r]!]! * table.ys.length + table.yIndex[indices[r]!]!]! += 1;
    correlation = correlationsOfTable({ xs: table.xs, ys: table.ys, counts });
  } else if (encoded.humanValues && encoded.judgeValues) {
    correlation = correlations(pick(encoded.humanValues, indices), pick(encoded.judgeValues, indices));
  }
  return figuresOf(encoded, matrix, correlation);
}

/** Each group's confusion matrix and correlations, computed once: a resample of groups only adds them up. */
export interface GroupParts {
  matrices: ConfusionMatrix[] | null;
  correlations: Correlations[] | null;
}

/** The parts of each group (its rows' indices in `members`). */
export function groupParts(encoded: Encoded, members: number[][]): GroupParts {
  const k = encoded.categories?.length ?? 0;
  return {
    matrices: encoded.categories ? members.map((rows) => confusionMatrix(pick(encoded.humanCodes, rows), pick(encoded.judgeCodes, rows), k)) : null,
    correlations:
      encoded.humanValues && encoded.judgeValues
        ? members.map((rows) => correlations(pick(encoded.humanValues!, rows), pick(encoded.judgeValues!, rows)))
        : null,
  };
}

/** Figures over a resample of groups: matrices summed, each correlation averaged over the groups where it is defined. */
export function groupFigures(encoded: Encoded, parts: GroupParts, groups: ArrayLike<number>): Figures {
  let matrix: ConfusionMatrix | null = null;
  if (parts.matrices) {
    matrix = emptyMatrix(encoded.categories!.length);
    for (const g of Array.from(groups)) addInto(matrix, parts.matrices[g]!);
  }
  let correlation: Correlations | null = null;
  if (parts.correlations) {
    const mean = (key: keyof Correlations): number | null => {
      const defined = Array.from(groups, (g) => parts.correlations![g]![key]).filter((r): r is number => r !== null);
      return defined.length === 0 ? null : defined.reduce((sum, r) => sum + r, 0) / defined.length;
    };
    correlation = { spearman: mean('spearman'), kendall: mean('kendall'), pearson: mean('pearson') };
  }
  return figuresOf(encoded, matrix, correlation);
}
