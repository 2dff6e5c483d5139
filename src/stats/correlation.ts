import jStatModule from 'jstat';

// src/types/jstat.d.ts declares only Student's t; this is the part of jstat used here. jstat's
// rank gives tied values the average of their ranks (checked against scipy.stats.rankdata), which
// is what Spearman's rho needs, so ranks come from jstat; its corrcoeff returns NaN for a constant
// side, which is why every function below checks for that first and answers null instead.
interface JStatCorrelation {
  rank(values: number[]): number[];
  corrcoeff(x: number[], y: number[]): number;
}
const jStat = (jStatModule as unknown as { jStat: JStatCorrelation }).jStat;

/** Rank correlations and Pearson's r of paired values; null where a coefficient is undefined. */
export interface Correlations {
  spearman: number | null;
  kendall: number | null;
  pearson: number | null;
}

function isConstant(values: readonly number[]): boolean {
  return values.every((value) => value === values[0]);
}

/** Whether a coefficient is defined: two or more pairs, neither side constant. */
export function correlatable(x: readonly number[], y: readonly number[]): boolean {
  if (x.length !== y.length) throw new RangeError(`paired values differ in length: ${x.length} and ${y.length}`);
  return x.length >= 2 && !isConstant(x) && !isConstant(y);
}

// Rounding can carry a perfect correlation a hair past 1.
const clamp = (r: number): number => Math.max(-1, Math.min(1, r));

/** Pearson's r, or null for fewer than two pairs or a constant side. */
export function pearson(x: readonly number[], y: readonly number[]): number | null {
  return correlatable(x, y) ? clamp(jStat.corrcoeff([...x], [...y])) : null;
}

/** Ranks 1..n, tied values sharing the average of the ranks they span (scipy's "average"). */
export function averageRanks(values: readonly number[]): number[] {
  return jStat.rank([...values]);
}

/** Spearman's rho (Pearson's r of the average ranks, so ties are handled), or null as for Pearson. */
export function spearman(x: readonly number[], y: readonly number[]): number | null {
  return correlatable(x, y) ? clamp(jStat.corrcoeff(averageRanks(x), averageRanks(y))) : null;
}

/**
 * Kendall's tau-b, which corrects for ties on either side (scipy.stats.kendalltau's default), or
 * null as for Pearson. jstat has no Kendall; this is Knight's O(n log n) algorithm, since the
 * bootstrap computes it thousands of times: sort the pairs by x then y, and count the discordant
 * pairs as the inversions a merge sort of the y values undoes.
 */
export function kendallTauB(x: readonly number[], y: readonly number[]): number | null {
  if (!correlatable(x, y)) return null;
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]! || y[a]! - y[b]!);
  const ys = new Float64Array(n);
  let tiedX = 0;
  let tiedBoth = 0;
  let runX = 1;
  let runBoth = 1;
  for (let i = 0; i < n; i++) {
    ys[i] = y[order[i]!]!;
    if (i === 0) continue;
    const sameX = x[order[i]!] === x[order[i - 1]!];
    if (sameX) runX += 1;
    else {
      tiedX += (runX * (runX - 1)) / 2;
      runX = 1;
    }
    if (sameX && ys[i] === ys[i - 1]) runBoth += 1;
    else {
      tiedBoth += (runBoth * (runBoth - 1)) / 2;
      runBoth = 1;
    }
  }
  tiedX += (runX * (runX - 1)) / 2;
  tiedBoth += (runBoth * (runBoth - 1)) / 2;

  const discordant = countInversions(ys);
  // After the merge sort the y values are in order, so their ties are runs.
  let tiedY = 0;
  let runY = 1;
  for (let i = 1; i <= n; i++) {
    if (i < n && ys[i] === ys[i - 1]) runY += 1;
    else {
      tiedY += (runY * (runY - 1)) / 2;
      runY = 1;
    }
  }
  const pairs = (n * (n - 1)) / 2;
  const denominator = Math.sqrt((pairs - tiedX) * (pairs - tiedY));
  if (denominator === 0) return null;
  return clamp((pairs - tiedX - tiedY + tiedBoth - 2 * discordant) / denominator);
}

/** Sorts `values` in place (bottom-up merge sort) and returns how many pairs i < j had values[i] > values[j]. */
function countInversions(values: Float64Array<ArrayBuffer>): number {
  const n = values.length;
  let source = values;
  let target = new Float64Array(n);
  let inversions = 0;
  for (let width = 1; width < n; width *= 2) {
    for (let start = 0; start < n; start += 2 * width) {
      const middle = Math.min(start + width, n);
      const end = Math.min(start + 2 * width, n);
      let left = start;
      let right = middle;
      let out = start;
      while (left < middle && right < end) {
        // Equal values are not an inversion: they are a tie in y, counted apart.
        if (source[left]! <= source[right]!) target[out++] = source[left++]!;
        else {
          inversions += middle - left;
          target[out++] = source[right++]!;
        }
      }
      while (left < middle) target[out++] = source[left++]!;
      while (right < end) target[out++] = source[right++]!;
    }
    [source, target] = [target, source];
  }
  if (source !== values) values.set(source);
  return inversions;
}

/** Spearman, Kendall tau-b and Pearson of the same pairs. */
export function correlations(x: readonly number[], y: readonly number[]): Correlations {
  if (!correlatable(x, y)) return { spearman: null, kendall: null, pearson: null };
  return { spearman: spearman(x, y), kendall: kendallTauB(x, y), pearson: pearson(x, y) };
}
