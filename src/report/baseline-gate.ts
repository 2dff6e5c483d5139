import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { checkOutputs } from '../results/output-paths.js';
import type { BootstrapOptions } from '../stats/bootstrap.js';
import type { CompareMetric, Comparison } from '../stats/comparison-schema.js';
import { renderCompareMarkdown } from './compare-markdown.js';
import { baselineGateFailure, type BaselineGate } from '../stats/gates.js';
import { markdownCell } from './step-summary.js';

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
