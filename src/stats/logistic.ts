/**
 * Logistic regression without intercept, fitted by Newton's method (IRLS) to maximum likelihood,
 * optionally with a ridge penalty. Targets may be fractional (a tie as 0.5): the likelihood is then
 * that of the target's share of a win, which is what duplicating a tie into one win and one loss
 * gives. Small and dense on purpose: a ranking has a handful of coefficients.
 */

/** A fitting problem: one row of features per observation, its target in [0, 1] and its weight. */
export interface LogisticProblem {
  rows: readonly (readonly number[])[];
  targets: readonly number[];
  /** Observation weights; all 1 when absent. */
  weights?: readonly number[];
  /** Ridge penalty: the fit minimises sum(weight * log loss) + l2 / 2 * |coefficients|^2 (sklearn's 1 / C). */
  l2?: number;
}

/** The fitted coefficients, and whether Newton's method settled on them. */
export interface LogisticFit {
  coefficients: number[];
  iterations: number;
  /** False when the steps never became small: the likelihood has no finite maximum (a side that always wins). */
  converged: boolean;
}

const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-11;

/** Maximum-likelihood logistic coefficients of `problem`, starting from zero. */
export function fitLogistic(problem: LogisticProblem): LogisticFit {
  const { rows, targets } = problem;
  const weights = problem.weights ?? rows.map(() => 1);
  const l2 = problem.l2 ?? 0;
  const p = rows[0]?.length ?? 0;
  let beta = new Array<number>(p).fill(0);
  let loss = penalisedLoss(problem, weights, l2, beta);
  for (let iteration = 1; iteration <= MAX_ITERATIONS; iteration++) {
    const gradient = new Array<number>(p).fill(0);
    const hessian = Array.from({ length: p }, () => new Array<number>(p).fill(0));
    rows.forEach((x, i) => {
      const mu = sigmoid(dot(x, beta));
      const residual = weights[i]! * (targets[i]! - mu);
      const curvature = weights[i]! * mu * (1 - mu);
      for (let j = 0; j < p; j++) {
        if (x[j] === 0) continue;
        gradient[j]! += residual * x[j]!;
        for (let k = 0; k < p; k++) hessian[j]![k]! += curvature * x[j]! * x[k]!;
      }
    });
    for (let j = 0; j < p; j++) {
      gradient[j]! -= l2 * beta[j]!;
      hessian[j]![j]! += l2;
    }
    const step = solveSymmetric(hessian, gradient);
    if (step === null) return { coefficients: beta, iterations: iteration, converged: false };
    // Halve the step until the loss does not rise: Newton from zero can overshoot on lopsided data.
    let scale = 1;
    let candidate = beta.map((b, j) => b + step[j]!);
    let candidateLoss = penalisedLoss(problem, weights, l2, candidate);
    while (candidateLoss > loss && scale > 1e-6) {
      scale /= 2;
      candidate = beta.map((b, j) => b + scale * step[j]!);
      candidateLoss = penalisedLoss(problem, weights, l2, candidate);
    }
    beta = candidate;
    loss = candidateLoss;
    if (Math.max(0, ...step.map((s) => Math.abs(s * scale))) < TOLERANCE) return { coefficients: beta, iterations: iteration, converged: true };
  }
  return { coefficients: beta, iterations: MAX_ITERATIONS, converged: false };
}

/** The logistic function, computed without overflow for large |z|. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function dot(x: readonly number[], beta: readonly number[]): number {
  let sum = 0;
  for (let j = 0; j < x.length; j++) sum += x[j]! * beta[j]!;
  return sum;
}

/** log(1 + e^z), without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

function penalisedLoss(problem: LogisticProblem, weights: readonly number[], l2: number, beta: readonly number[]): number {
  let loss = 0;
  problem.rows.forEach((x, i) => {
    const z = dot(x, beta);
    const y = problem.targets[i]!;
    // -[y log s(z) + (1 - y) log(1 - s(z))] = y softplus(-z) + (1 - y) softplus(z)
    loss += weights[i]! * (y * softplus(-z) + (1 - y) * softplus(z));
  });
  return loss + (l2 / 2) * beta.reduce((sum, b) => sum + b * b, 0);
}

/** Solves H x = g for a symmetric positive-definite H by Cholesky; null when H is singular. */
function solveSymmetric(h: number[][], g: number[]): number[] | null {
  const n = g.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const scale = Math.max(1e-300, ...h.map((row, i) => Math.abs(row[i]!)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (sum <= scale * 1e-14) return null;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  const z = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = g[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * z[k]!;
    z[i] = sum / l[i]![i]!;
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * x[k]!;
    x[i] = sum / l[i]![i]!;
  }
  return x;
}
