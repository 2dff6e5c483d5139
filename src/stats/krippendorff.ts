/**
 * Krippendorff's alpha: the agreement of any number of coders (judges) over units (rows), with
 * missing values, for nominal, ordinal, interval and ratio data. Computed from the coincidence
 * matrix as in Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011):
 * alpha = 1 - (n - 1) * sum(o_ck * d_ck) / sum(n_c * n_k * d_ck), over the pairable values only
 * (a unit with fewer than two values carries no information about agreement).
 */

/** The level of measurement, which decides how far apart two values are (the squared difference d_ck). */
export type AlphaMetric = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/** One coder's value for a unit; null (or undefined) when that coder gave none. */
export type CodedValue = number | string | null | undefined;

/** The coincidence matrix behind alpha: distinct values (sorted for the numeric metrics), o_ck, and n_c. */
export interface Coincidences {
  values: (number | string)[];
  /** o[c][k]: how often value c was paired with value k within a unit, each unit weighted 1/(m_u - 1). */
  o: number[][];
  /** n_c: row sums of o, the pairable values equal to c. */
  totals: number[];
  /** n: all pairable values. */
  n: number;
}

/**
 * Builds the coincidence matrix one unit at a time, in memory bounded by the distinct values, never
 * by the units: a run's summary adds each row's votes as it is graded.
 */
export class CoincidenceAccumulator {
  private readonly index = new Map<string, number>();
  /** Distinct values in first-seen order, and o over them in that order. */
  private readonly seen: (number | string)[] = [];
  private readonly o: number[][] = [];

  constructor(readonly metric: AlphaMetric) {}

  /** Adds one unit (its values by coder, missing as null); a unit with fewer than two values adds nothing. */
  add(unit: readonly CodedValue[]): void {
    const values = unit.filter((value): value is number | string => value !== null && value !== undefined);
    if (values.length < 2) return;
    // Every value is checked before any is counted, so a refused unit leaves the matrix as it was.
    for (const value of values) this.check(value);
    const at = values.map((value) => this.indexOf(value));
    const weight = 1 / (values.length - 1);
    // Every ordered pair of two different coders' values within the unit.
    for (let i = 0; i < at.length; i++) {
      for (let j = 0; j < at.length; j++) {
        if (i !== j) this.o[at[i]!]![at[j]!]! += weight;
      }
    }
  }

  /** The matrix of the units added so far; numeric metrics order the values, nominal keeps them first-seen. */
  table(): Coincidences {
    const order = this.seen.map((_, i) => i);
    if (this.metric !== 'nominal') order.sort((a, b) => (this.seen[a] as number) - (this.seen[b] as number));
    const o = order.map((c) => order.map((k) => this.o[c]![k]!));
    const totals = o.map((row) => row.reduce((sum, x) => sum + x, 0));
    return { values: order.map((i) => this.seen[i]!), o, totals, n: totals.reduce((sum, x) => sum + x, 0) };
  }

  /** Alpha of the units added so far (null when undefined, as {@link krippendorffAlpha} says). */
  alpha(): number | null {
    return alphaOf(this.table(), this.metric);
  }

  private check(value: number | string): void {
    if (this.metric !== 'nominal' && (typeof value !== 'number' || !Number.isFinite(value))) {
      throw new RangeError(`${this.metric} alpha needs numbers, got ${JSON.stringify(value)}`);
    }
    if (this.metric === 'ratio' && (value as number) < 0) throw new RangeError(`ratio alpha needs values of 0 or more, got ${value}`);
  }

  private indexOf(value: number | string): number {
    const key = keyOf(value);
    let at = this.index.get(key);
    if (at === undefined) {
      at = this.seen.length;
      this.index.set(key, at);
      this.seen.push(value);
      for (const row of this.o) row.push(0);
      this.o.push(new Array<number>(at + 1).fill(0));
    }
    return at;
  }
}

/**
 * Builds the coincidence matrix of `units` (each unit: its values by coder, missing as null).
 * Numeric metrics need numbers and order the values; nominal keeps them in first-seen order.
 */
export function coincidences(units: readonly (readonly CodedValue[])[], metric: AlphaMetric): Coincidences {
  const accumulator = new CoincidenceAccumulator(metric);
  for (const unit of units) accumulator.add(unit);
  return accumulator.table();
}

/**
 * Krippendorff's alpha of `units` (rows of values by coder; null for a missing value) at the given
 * level of measurement. Null when it is undefined: fewer than two pairable values, or every
 * pairable value the same (no disagreement is expected by chance, so none can be measured).
 */
export function krippendorffAlpha(units: readonly (readonly CodedValue[])[], metric: AlphaMetric): number | null {
  return alphaOf(coincidences(units, metric), metric);
}

/** Alpha from a coincidence matrix. */
function alphaOf(table: Coincidences, metric: AlphaMetric): number | null {
  const { o, totals, n } = table;
  if (n < 2) return null;
  const distance = squaredDistances(table, metric);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < o.length; c++) {
    for (let k = 0; k < o.length; k++) {
      observed += o[c]![k]! * distance[c]![k]!;
      expected += totals[c]! * totals[k]! * distance[c]![k]!;
    }
  }
  if (expected === 0) return null;
  return 1 - ((n - 1) * observed) / expected;
}

/** d_ck for every pair of values, as the paper defines it for each metric. */
function squaredDistances({ values, totals }: Coincidences, metric: AlphaMetric): number[][] {
  return values.map((c, ci) =>
    values.map((k, ki) => {
      if (ci === ki) return 0;
      switch (metric) {
        case 'nominal':
          return 1;
        case 'interval':
          return ((c as number) - (k as number)) ** 2;
        case 'ratio': {
          const sum = (c as number) + (k as number);
          return sum === 0 ? 0 : (((c as number) - (k as number)) / sum) ** 2;
        }
        case 'ordinal': {
          // The values ranked between c and k, inclusive, less half of c's and k's own: ranks by frequency, not by label.
          const [low, high] = ci < ki ? [ci, ki] : [ki, ci];
          let between = 0;
          for (let g = low; g <= high; g++) between += totals[g]!;
          return (between - (totals[ci]! + totals[ki]!) / 2) ** 2;
        }
      }
    }),
  );
}

function keyOf(value: number | string): string {
  return typeof value === 'number' ? `n:${value}` : `s:${value}`;
}
