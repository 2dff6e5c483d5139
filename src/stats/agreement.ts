/**
 * Agreement between two raters over categories, computed from their confusion matrix: rows are the
 * first rater (the human labels), columns the second (the judge), cell [i][j] the items the first put
 * in category i and the second in j. Categories are indices 0..k-1; for an ordinal scale they are
 * its points in order, one apart, so that a weight can be the squared distance between indices.
 */

/** A k × k matrix of counts. */
export type ConfusionMatrix = number[][];

/** How kappa weighs a disagreement: not at all by distance, or by its square (ordinal scales). */
export type KappaWeights = 'none' | 'quadratic';

/** An empty k × k matrix. */
export function emptyMatrix(k: number): ConfusionMatrix {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

/** The confusion matrix of paired category indices (each in 0..k-1). */
export function confusionMatrix(first: readonly number[], second: readonly number[], k: number): ConfusionMatrix {
  if (first.length !== second.length) throw new RangeError(`paired values differ in length: ${first.length} and ${second.length}`);
  const matrix = emptyMatrix(k);
  for (let i = 0; i < first.length; i++) matrix[first[i]!]![second[i]!]! += 1;
  return matrix;
}

/** Adds `from` into `into`, cell by cell. */
export function addInto(into: ConfusionMatrix, from: ConfusionMatrix, times = 1): void {
  for (let i = 0; i < into.length; i++) for (let j = 0; j < into.length; j++) into[i]![j]! += from[i]![j]! * times;
}

function total(matrix: ConfusionMatrix): number {
  let sum = 0;
  for (const row of matrix) for (const cell of row) sum += cell;
  return sum;
}

/** The share of items both put in the same category, or null for no items. */
export function accuracyOf(matrix: ConfusionMatrix): number | null {
  const n = total(matrix);
  if (n === 0) return null;
  let same = 0;
  for (let i = 0; i < matrix.length; i++) same += matrix[i]![i]!;
  return same / n;
}

/**
 * Cohen's kappa: 1 - (weighted observed disagreement) / (weighted disagreement expected from the
 * two raters' margins by chance), as sklearn's cohen_kappa_score computes it. Null when chance alone
 * predicts no disagreement (both raters used one and the same category), where kappa is 0/0.
 */
export function cohenKappaOf(matrix: ConfusionMatrix, weights: KappaWeights = 'none'): number | null {
  const k = matrix.length;
  const n = total(matrix);
  if (n === 0) return null;
  const rowSums = matrix.map((row) => row.reduce((sum, cell) => sum + cell, 0));
  const columnSums = Array.from({ length: k }, (_, j) => matrix.reduce((sum, row) => sum + row[j]!, 0));
  let observed = 0;
  let expected = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const weight = weights === 'quadratic' ? (i - j) ** 2 : i === j ? 0 : 1;
      observed += weight * matrix[i]![j]!;
      expected += (weight * rowSums[i]! * columnSums[j]!) / n;
    }
  }
  return expected === 0 ? null : 1 - observed / expected;
}

/**
 * The unweighted mean over categories of F1 (sklearn's f1_score, average="macro"), over the
 * categories that either rater used; a category's precision or recall with nothing to divide by
 * counts as 0, as sklearn does. Null for no items.
 */
export function macroF1Of(matrix: ConfusionMatrix): number | null {
  const k = matrix.length;
  let sum = 0;
  let used = 0;
  for (let c = 0; c < k; c++) {
    const truePositives = matrix[c]![c]!;
    const actual = matrix[c]!.reduce((s, cell) => s + cell, 0);
    let predicted = 0;
    for (let i = 0; i < k; i++) predicted += matrix[i]![c]!;
    if (actual === 0 && predicted === 0) continue;
    used += 1;
    const precision = predicted === 0 ? 0 : truePositives / predicted;
    const recall = actual === 0 ? 0 : truePositives / actual;
    sum += precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  }
  return used === 0 ? null : sum / used;
}

/** The matrix with the given categories' rows and columns removed (e.g. "tie", for agreement without ties). */
export function withoutCategories(matrix: ConfusionMatrix, drop: readonly number[]): ConfusionMatrix {
  const keep = matrix.map((_, i) => i).filter((i) => !drop.includes(i));
  return keep.map((i) => keep.map((j) => matrix[i]![j]!));
}
