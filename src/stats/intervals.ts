// jstat does the distribution numerics: a small, dependency-free library rather than our own
// incomplete-beta code.
import jStatModule from 'jstat';

const { jStat } = jStatModule;

/** Count, mean and sum of squared deviations of a stream of numbers, in O(1) memory (Welford). */
export class RunningMoments {
  private n = 0;
  private runningMean = 0;
  private m2 = 0;

  /** Adds one value. */
  push(x: number): void {
    this.n += 1;
    const delta = x - this.runningMean;
    this.runningMean += delta / this.n;
    // Welford's update keeps the variance accurate where sum-of-squares minus square-of-sum cancels.
    this.m2 += delta * (x - this.runningMean);
  }

  /** How many values were pushed. */
  get count(): number {
    return this.n;
  }

  /** The mean, or null before the first value. */
  get mean(): number | null {
    return this.n === 0 ? null : this.runningMean;
  }

  /** The sample variance (n - 1 denominator), or null with fewer than two values. */
  get sampleVariance(): number | null {
    return this.n < 2 ? null : this.m2 / (this.n - 1);
  }
}

/** The two-sided confidence interval of a mean by Student's t, or null with fewer than two values. */
export function meanConfidenceInterval(moments: RunningMoments, level = 0.95): [number, number] | null {
  const mean = moments.mean;
  const variance = moments.sampleVariance;
  if (mean === null || variance === null) return null;
  const halfWidth = tQuantile(1 - (1 - level) / 2, moments.count - 1) * Math.sqrt(variance / moments.count);
  return [mean - halfWidth, mean + halfWidth];
}

/** The p-quantile of Student's t with `df` degrees of freedom. */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`p must be in (0, 1), got ${p}`);
  if (!(df > 0)) throw new RangeError(`df must be positive, got ${df}`);
  return jStat.studentt.inv(p, df);
}

/** P(T <= t) for Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  return jStat.studentt.cdf(t, df);
}

/**
 * The 95% Wilson score interval of a proportion (successes of n), or null for n = 0. Unlike the
 * normal approximation it stays inside [0, 1] and is honest for small n and rates near 0 or 1.
 */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] | null {
  if (n === 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
