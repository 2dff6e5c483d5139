import { indexFrom, seededUint32 } from './random.js';

/** A two-sided interval [low, high]. */
export type Interval = [number, number];

/** How the bootstrap resamples. */
export interface BootstrapOptions {
  /** Resamples to draw; 0 gives no intervals. */
  resamples: number;
  /** Seed of the random stream, so the same inputs always give the same intervals. */
  seed: number;
  /** Coverage of the interval. */
  level?: number;
}

/**
 * The q-quantile (0..1) of values sorted ascending, interpolating linearly between the two nearest
 * (numpy.percentile's default, which the reference uses), or null for no values.
 */
export function quantileOfSorted(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

/**
 * Percentile bootstrap intervals of several statistics over the same resamples: each resample draws
 * `units` unit indices (rows, or groups for a clustered sample) with replacement, resample after
 * resample from one seeded stream, and hands them to `statistics`. A statistic that is undefined on
 * a resample (null: a constant side, an empty category) leaves that resample out of its interval;
 * when that happens to more than half the resamples, the interval is null rather than one built on
 * a biased remainder. Fewer than two units give no interval: every resample would be the sample.
 */
export function bootstrapIntervals<Key extends string>(
  units: number,
  statistics: (indices: Int32Array) => Record<Key, number | null>,
  keys: readonly Key[],
  options: BootstrapOptions,
): Record<Key, Interval | null> {
  const none = Object.fromEntries(keys.map((key) => [key, null])) as Record<Key, Interval | null>;
  if (options.resamples <= 0 || units < 2) return none;
  const replicates = new Map<Key, number[]>(keys.map((key) => [key, []]));
  const next = seededUint32(options.seed);
  const indices = new Int32Array(units);
  for (let resample = 0; resample < options.resamples; resample++) {
    for (let i = 0; i < units; i++) indices[i] = indexFrom(next(), units);
    const values = statistics(indices);
    for (const key of keys) {
      const value = values[key];
      if (value !== null && Number.isFinite(value)) replicates.get(key)!.push(value);
    }
  }
  const tail = (1 - (options.level ?? 0.95)) / 2;
  const intervals = { ...none };
  for (const key of keys) {
    const values = replicates.get(key)!;
    if (values.length * 2 < options.resamples) continue;
    values.sort((a, b) => a - b);
    intervals[key] = [quantileOfSorted(values, tail)!, quantileOfSorted(values, 1 - tail)!];
  }
  return intervals;
}
