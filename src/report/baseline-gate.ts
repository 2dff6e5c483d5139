import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkOutputs } from '../results/output-paths.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import type { CompareMetric, Comparison } from '../stats/comparison-schema.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { baselineGateFailure, type BaselineGate } from './gates.js';
import { markdownCell } from './step-summary.js';

/** Resamples and seed of a run's comparison with its --baseline: compare's defaults, so both agree. */
export const BASELINE_BOOTSTRAP: BootstrapOptions = { resamples: 2000, seed: 1 };

/** `verdict compare base head` with its gate and Markdown. */
export interface GatedCompareOptions {
  base: string;
  head: string;
  criterion?: string;
  metric?: CompareMetric;
  bootstrap: BootstrapOptions;
  /** --fail-if-worse; no gate without it. */
  delta?: number;
  /** --markdown: where the comparison is written as Markdown. */
  markdown?: string;
}

/** What compare prints and exits with. */
export interface GatedComparison {
  comparison: Comparison;
  code: 0 | 1;
  /** Why the gate failed. */
  failure?: string;
}

/**
 * Compares head with base, judges `--fail-if-worse` and writes `--markdown`. The Markdown file is
 * checked first (never one of the two results files, and writable), before anything is read.
 */
export async function gatedCompare(options: GatedCompareOptions): Promise<GatedComparison> {
  if (options.markdown !== undefined) {
    await checkOutputs(
      [
        { path: options.base, role: 'the baseline results file' },
        { path: options.head, role: 'the results file compared' },
      ],
      [{ path: options.markdown, role: 'comparison Markdown', existing: 'overwrite' }],
    );
  }
  const { compareResults } = await import('../stats/run-compare.js');
  const comparison = await compareResults({ a: options.base, b: options.head, criterion: options.criterion, metric: options.metric, bootstrap: options.bootstrap });
  const failure = options.delta === undefined ? undefined : baselineGateFailure({ delta: options.delta, comparison });
  if (options.markdown !== undefined) {
    const gate = options.delta === undefined ? undefined : { delta: options.delta, ...(failure === undefined ? {} : { failure }) };
    await writeMarkdown(options.markdown, renderCompareMarkdown(comparison, { ...(gate ? { gate } : {}) }));
  }
  return { comparison, code: failure === undefined ? 0 : 1, ...(failure === undefined ? {} : { failure }) };
}

/** A run's baseline gate as Markdown (level 3 for --markdown, 4 inside the step summary); a comparison that failed is one line. */
export function baselineMarkdown(gate: BaselineGate, level: 3 | 4): string {
  const failure = baselineGateFailure(gate);
  if ('error' in gate.comparison) return `${'#'.repeat(level)} ❌ verdict: not compared with the baseline\n\n- ${markdownCell(failure ?? '')}\n\n`;
  return renderCompareMarkdown(gate.comparison, { level, gate: { delta: gate.delta, ...(failure === undefined ? {} : { failure }) } });
}

/** Writes Markdown to a file, creating its directory. */
export async function writeMarkdown(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, text);
}

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
  const { checkComparable } = await import('../stats/run-compare.js');
  await checkComparable(options.baseline, { metric: options.metric });
}

/** At the end of a run: its results compared with the --baseline, or why they could not be. */
export async function compareRunWithBaseline(options: RunBaselineOptions & { baseline: string }): Promise<BaselineGate> {
  const delta = options.failIfWorse ?? 0;
  const { compareResults } = await import('../stats/run-compare.js');
  try {
    return { delta, comparison: await compareResults({ a: options.baseline, b: headFile(options.out)!, metric: options.metric, bootstrap: BASELINE_BOOTSTRAP }) };
  } catch (error) {
    // The run is graded and written; a comparison that cannot be made fails the gate, it does not lose the run.
    return { delta, comparison: { error: (error as Error).message } };
  }
}
