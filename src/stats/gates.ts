import type { Summary } from './summary.js';

/** The quality and reliability thresholds of a run (`--fail-under`, `--min-pass-rate`, `--max-error-rate`). */
export interface Gates {
  failUnder?: number;
  minPassRate?: number;
  maxErrorRate: number;
  /** Judge --fail-under and --min-pass-rate on the lower bound of their 95% intervals, not the point figures. */
  onInterval?: boolean;
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

  // A run that could not finish is worse news than a gate: its figures cover only part of the data.
  const reasons = [...runFailures, ...gateFailures];
  if (runFailures.length > 0) return { code: 3, reasons };
  if (gateFailures.length > 0) return { code: 1, reasons };
  return { code: 0, reasons };
}
