import type { Correlations } from './correlation.js';

/**
 * Paired values as a table of counts over their distinct values: cell (i, j) counts the pairs whose
 * first value is the i-th smallest of `xs` and second the j-th smallest of `ys`. Judge scores and
 * human labels take few distinct values (a 1-5 scale, means in thirds), so a bootstrap resample is
 * counted into the table in O(n) and its correlations read off it in O(kx * ky), instead of
 * sorting thousands of rows for every resample.
 */
export interface ContingencyTable {
  xs: number[];
  ys: number[];
  /** Row-major, xs.length × ys.length. */
  counts: Float64Array;
}

/** Each row's position among the distinct values of its side, and those values in ascending order. */
export function distinctIndex(values: readonly number[]): { distinct: number[]; index: Int32Array } {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  const position = new Map(distinct.map((value, i) => [value, i]));
  return { distinct, index: Int32Array.from(values, (value) => position.get(value)!) };
}

/** The weighted mean of `values` by `weights`. */
function weightedMean(values: readonly number[], weights: readonly number[], total: number): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i]! * weights[i]!;
  return sum / total;
}

// Rounding can carry a perfect correlation a hair past 1.
const clamp = (r: number): number => Math.max(-1, Math.min(1, r));

/** Pearson's r over the table's cells, each value pair weighted by its count. */
function pearsonOfTable(xs: readonly number[], ys: readonly number[], counts: Float64Array, rows: number[], columns: number[], n: number): number | null {
  const meanX = weightedMean(xs, rows, n);
  const meanY = weightedMean(ys, columns, n);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < xs.length; i++) sxx += rows[i]! * (xs[i]! - meanX) ** 2;
  for (let j = 0; j < ys.length; j++) syy += columns[j]! * (ys[j]! - meanY) ** 2;
  for (let i = 0; i < xs.length; i++) {
    for (let j = 0; j < ys.length; j++) sxy += counts[i * ys.length + j]! * (xs[i]! - meanX) * (ys[j]! - meanY);
  }
  return sxx === 0 || syy === 0 ? null : clamp(sxy / Math.sqrt(sxx * syy));
}

/** The average rank of each distinct value, from how many pairs hold each (ties share the mean of their ranks). */
function averageRanksOf(margin: readonly number[]): number[] {
  let before = 0;
  return margin.map((count) => {
    const rank = before + (count + 1) / 2;
    before += count;
    return rank;
  });
}

/**
 * Spearman, Kendall tau-b and Pearson of the pairs a table counts: the same figures as
 * `correlations` on the pairs written out, null where a side is constant or there are fewer than two.
 */
export function correlationsOfTable({ xs, ys, counts }: ContingencyTable): Correlations {
  const kx = xs.length;
  const ky = ys.length;
  const rows = new Array<number>(kx).fill(0);
  const columns = new Array<number>(ky).fill(0);
  for (let i = 0; i < kx; i++) {
    for (let j = 0; j < ky; j++) {
      const c = counts[i * ky + j]!;
      rows[i]! += c;
      columns[j]! += c;
    }
  }
  const n = rows.reduce((sum, c) => sum + c, 0);
  const used = (margin: number[]) => margin.filter((c) => c > 0).length;
  if (n < 2 || used(rows) < 2 || used(columns) < 2) return { spearman: null, kendall: null, pearson: null };

  const pearson = pearsonOfTable(xs, ys, counts, rows, columns, n);
  const spearman = pearsonOfTable(averageRanksOf(rows), averageRanksOf(columns), counts, rows, columns, n);

  // Kendall: a pair of pairs is concordant when one is above and right of the other, discordant
  // when above and left. `below[i][j]` counts the pairs in rows > i and columns >= j (a suffix sum).
  const below = new Float64Array((kx + 1) * (ky + 1));
  for (let i = kx - 1; i >= 0; i--) {
    for (let j = ky - 1; j >= 0; j--) {
      below[i * (ky + 1) + j] = counts[i * ky + j]! + below[(i + 1) * (ky + 1) + j]! + below[i * (ky + 1) + j + 1]! - below[(i + 1) * (ky + 1) + j + 1]!;
    }
  }
  let concordant = 0;
  let discordant = 0;
  for (let i = 0; i < kx - 1; i++) {
    const laterRows = below[(i + 1) * (ky + 1)]!;
    for (let j = 0; j < ky; j++) {
      const c = counts[i * ky + j]!;
      if (c === 0) continue;
      const aboveRight = below[(i + 1) * (ky + 1) + j + 1]!;
      const aboveSame = below[(i + 1) * (ky + 1) + j]! - aboveRight;
      concordant += c * aboveRight;
      discordant += c * (laterRows - aboveRight - aboveSame);
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const tiedX = rows.reduce((sum, c) => sum + (c * (c - 1)) / 2, 0);
  const tiedY = columns.reduce((sum, c) => sum + (c * (c - 1)) / 2, 0);
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  const kendall = denominator === 0 ? null : clamp((concordant - discordant) / denominator);
  return { spearman, kendall, pearson };
}
