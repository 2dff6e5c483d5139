import type { Comparison } from '../stats/comparison-schema.js';
import { metricName } from './metric-name.js';
import type { Summary } from './summary.js';

/**
 * `--fail-if-worse delta` against a baseline: fails when the whole 95% interval of head - base lies
 * below -delta, i.e. when the results are worse than the baseline by more than delta beyond doubt.
 */
export interface BaselineGate {
  /** In the metric's units: score points for mean, a fraction (0..1) for pass_rate and win_rate. */
  delta: number;
  /** The paired comparison, baseline as a and the results as b; or why it could not be made. */
  comparison: Comparison | { error: string };
}

/** The quality and reliability thresholds of a run (`--fail-under`, `--min-pass-rate`, `--max-error-rate`). */
export interface Gates {
  failUnder?: number;
  minPassRate?: number;
  maxErrorRate: number;
  /** Judge --fail-under and --min-pass-rate on the lower bound of their 95% intervals, not the point figures. */
  onInterval?: boolean;
  baseline?: BaselineGate;
}

/** The exit code of a run and the sentences that explain it. */
export interface ExitDecision {
  code: 0 | 1 | 2 | 3 | 130;
  /** Every check that failed, worst first; empty for exit 0. */
  reasons: string[];
}

// Enough decimals that a figure never prints equal to the threshold it missed (3.4999 vs 3.5).
function figure(value: number, threshold: number): string {
  for (let digits = 2; digits < 12; digits++) {
    const text = String(Number(value.toFixed(digits)));
    if (text !== String(Number(threshold.toFixed(digits)))) return text;
  }
  return String(value);
}

/** Why the baseline gate fails, or undefined when it passes. */
export function baselineGateFailure(gate: BaselineGate): string | undefined {
  const flag = `--fail-if-worse ${gate.delta}`;
  if ('error' in gate.comparison) return `cannot compare with the baseline, so ${flag} cannot pass: ${gate.comparison.error}`;
  const { n, mean_diff: diff, mean_diff_ci95: interval } = gate.comparison;
  const name = metricName(gate.comparison);
  if (diff === null || interval === null) {
    return `${n} id${n === 1 ? '' : 's'} graded in both the baseline and the results give no interval of the change in ${name}, so ${flag} cannot pass`;
  }
  // Wholly below: even the interval's upper end is a fall of more than delta; touching -delta passes.
  if (interval[1] >= -gate.delta) return undefined;
  const [low, high] = interval.map((x) => figure(x, -gate.delta));
  return `${name} fell against the baseline: change ${figure(diff, -gate.delta)}, 95% CI ${low} to ${high}, wholly below -${gate.delta} (${flag})`;
}

/** Decides the exit code of a finished run as SPEC.md "Exit codes" pins it. */
export function decideExitCode(summary: Summary, gates: Gates, fatal: boolean | string, interrupted: boolean): ExitDecision {
  if (interrupted) {
    return { code: 130, reasons: ['interrupted; the rows graded so far are kept, and --resume continues the run'] };
  }
  const runFailures: string[] = [];
  // A string says why the run stopped early (a spent budget); true is a fatal API answer.
  if (fatal) runFailures.push(typeof fatal === 'string' ? fatal : 'the run stopped on an API error that no retry can get past');
  const failed = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  const errorRate = summary.rows === 0 ? 0 : failed / summary.rows;
  if (errorRate > gates.maxErrorRate) {
    runFailures.push(
      `${failed} of ${summary.rows} rows ended in error (error rate ${figure(errorRate, gates.maxErrorRate)}), ` +
        `above --max-error-rate ${gates.maxErrorRate}`,
    );
  }

  const gateFailures: string[] = [];
  if (gates.failUnder !== undefined) {
    const lower = summary.ci95?.[0] ?? null;
    if (summary.mean === null) {
      gateFailures.push(`no row has a score, so the mean cannot meet --fail-under ${gates.failUnder}`);
    } else if (gates.onInterval && lower === null) {
      gateFailures.push(`fewer than two scores give no interval, so --gate-on-interval cannot meet --fail-under ${gates.failUnder}`);
    } else if (gates.onInterval && lower !== null && lower < gates.failUnder) {
      gateFailures.push(
        `the 95% interval of the mean score reaches down to ${figure(lower, gates.failUnder)}, below --fail-under ${gates.failUnder} (--gate-on-interval)`,
      );
    } else if (!gates.onInterval && summary.mean < gates.failUnder) {
      gateFailures.push(`mean score ${figure(summary.mean, gates.failUnder)} is below --fail-under ${gates.failUnder}`);
    }
  }
  if (gates.minPassRate !== undefined) {
    const lower = summary.pass_rate_ci95?.[0] ?? null;
    if (summary.pass_rate === null) {
      gateFailures.push(`no row has a pass verdict, so the pass rate cannot meet --min-pass-rate ${gates.minPassRate}`);
    } else if (gates.onInterval && lower !== null && lower < gates.minPassRate) {
      gateFailures.push(
        `the 95% interval of the pass rate reaches down to ${figure(lower, gates.minPassRate)}, below --min-pass-rate ${gates.minPassRate} (--gate-on-interval)`,
      );
    } else if (!gates.onInterval && summary.pass_rate < gates.minPassRate) {
      gateFailures.push(
        `pass rate ${figure(summary.pass_rate, gates.minPassRate)} is below --min-pass-rate ${gates.minPassRate}`,
      );
    }
  }

  if (gates.baseline !== undefined) {
    const failure = baselineGateFailure(gates.baseline);
    if (failure !== undefined) gateFailures.push(failure);
  }

  // A run that could not finish is worse news than a gate: its figures cover only part of the data.
  const reasons = [...runFailures, ...gateFailures];
  if (runFailures.length > 0) return { code: 3, reasons };
  if (gateFailures.length > 0) return { code: 1, reasons };
  return { code: 0, reasons };
}
