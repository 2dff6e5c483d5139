import type { BootstrapOptions } from './bootstrap.js';
import type { CompareMetric } from './comparison-schema.js';
import type { BaselineGate } from './gates.js';

/** Resamples and seed of a run's comparison with its --baseline: compare's defaults, so both agree. */
const BASELINE_BOOTSTRAP: BootstrapOptions = { resamples: 2000, seed: 1 };

/** The run options a --baseline reads. */
export interface RunBaselineOptions {
  baseline?: string;
  failIfWorse?: number;
  metric?: CompareMetric;
  markdown?: string;
  out: string[];
}

// The results file a run is compared by: its first JSONL or CSV output (JUnit XML cannot be read back).
function headFile(out: readonly string[]): string | undefined {
  return out.find((file) => /\.(jsonl|csv)$/i.test(file));
}

/**
 * Before a run sends anything: --fail-if-worse, --metric and --markdown need --baseline, the run
 * must write a results file that can be read back, and the baseline must be a readable results file
 * holding the metric asked for.
 */
export async function checkRunBaseline(options: RunBaselineOptions): Promise<void> {
  const { UsageError } = await import('../errors.js');
  if (options.baseline === undefined) {
    const flag = options.failIfWorse !== undefined ? '--fail-if-worse' : options.metric !== undefined ? '--metric' : options.markdown !== undefined ? '--markdown' : undefined;
    if (flag !== undefined) throw new UsageError(`${flag} compares the run with a baseline: give the baseline results file with --baseline`);
    return;
  }
  if (headFile(options.out) === undefined) {
    throw new UsageError('--baseline compares the results file with the baseline, so --out must include a .jsonl or .csv results file');
  }
  const { checkComparable } = await import('./run-compare.js');
  await checkComparable(options.baseline, { metric: options.metric });
}

/** At the end of a run: its results compared with the --baseline, or why they could not be. */
export async function compareRunWithBaseline(options: RunBaselineOptions & { baseline: string }): Promise<BaselineGate> {
  const delta = options.failIfWorse ?? 0;
  const { compareResults } = await import('./run-compare.js');
  try {
    return { delta, comparison: await compareResults({ a: options.baseline, b: headFile(options.out)!, metric: options.metric, bootstrap: BASELINE_BOOTSTRAP }) };
  } catch (error) {
    // The run is graded and written; a comparison that cannot be made fails the gate, it does not lose the run.
    return { delta, comparison: { error: (error as Error).message } };
  }
}
