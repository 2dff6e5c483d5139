import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ExitCode } from '../errors.js';
import type { Io } from '../io.js';
import type { Summary } from '../stats/summary.js';
import type { BaselineGate } from '../stats/gates.js';
import type { WorstRows } from './worst-rows.js';

/** How a run ended, whichever way it was graded (`verdict run`, or batches collected). */
export interface RunEnding {
  summary: Summary;
  exitCode: number;
  /** Why the exit code is not 0, one sentence each. */
  reasons: string[];
  /** The results files written. */
  outputs: string[];
  /** Why the run stopped early: a fatal API answer, a results file that could not be written. */
  stop?: { code: string; message: string; hint: string };
}

/** The commands that go on from where a run ended, each after the sentence that leads to it. */
export interface Continuation {
  /** Said when rows were left ungraded (`--resume` grades them); undefined when none were. */
  ungraded?: string;
  /** Said when rows ended in error (`--retry-errors` grades them again). */
  errors: string;
  /** The command line that continues the run with this flag. */
  command(flag: '--resume' | '--retry-errors'): string;
}

/** What the end of a run writes and says besides the summary: the command's flags and environment. */
export interface EndOfRunOptions {
  /** `--quiet`: only what went wrong, and the command that continues a run left unfinished. */
  quiet: boolean;
  /** `--summary`: the summary as JSON. */
  summaryFile?: string;
  /** `--baseline`: the comparison with the baseline, also written as Markdown with `--markdown` and added to the step summary. */
  baseline?: { comparison: BaselineGate; markdown?: string };
  /** `$GITHUB_STEP_SUMMARY` and the worst rows kept from the run's events; appended to, never truncated. */
  stepSummary?: { path: string; worst: WorstRows };
  /** `-o *.html`: reports built from the results file now closed, with `--prompt` for each row's judge input. */
  reports: { files: string[]; prompt: string };
  /** Said after the results files' names: how the cost was priced (batches pay half). */
  resultsNote?: string;
  continuation: Continuation;
  /** Scrubs the API key from a server's words. */
  redact: (text: string) => string;
}

/**
 * The end-of-run stage of `verdict run` and `verdict batch collect`: writes the summary file, the
 * GitHub step summary and the HTML reports, prints the summary, why the run stopped and how to
 * continue; returns the exit code. The results are on disk already, so a file that cannot be
 * written here is said and the rest still happens.
 */
export async function endRun(ending: RunEnding, options: EndOfRunOptions, io: Io): Promise<number> {
  const { summary } = ending;
  let exitCode = ending.exitCode;
  if (options.summaryFile) {
    try {
      await writeSummaryFile(options.summaryFile, summary);
    } catch (error) {
      io.stderr.write(`verdict: could not write the summary to ${options.summaryFile}: ${(error as Error).message}\n`);
      if (exitCode === ExitCode.ok || exitCode === ExitCode.gateFailed) exitCode = ExitCode.runFailed;
    }
  }
  if (options.baseline?.markdown) {
    const { baselineMarkdown, writeMarkdown } = await import('./baseline-gate.js');
    try {
      await writeMarkdown(options.baseline.markdown, options.redact(baselineMarkdown(options.baseline.comparison, 3)));
    } catch (error) {
      io.stderr.write(`verdict: could not write the comparison to ${options.baseline.markdown}: ${(error as Error).message}\n`);
      if (exitCode === ExitCode.ok || exitCode === ExitCode.gateFailed) exitCode = ExitCode.runFailed;
    }
  }
  if (options.stepSummary) await appendStepSummary(options.stepSummary, ending, options, io);
  if (!options.quiet) {
    const { renderSummary, terminalRenderOptions } = await import('./render-summary.js');
    io.stderr.write(renderSummary(summary, terminalRenderOptions(io.stderr, io.env)));
    io.stderr.write(`results: ${ending.outputs.join(', ')}${options.resultsNote ? ` ${options.resultsNote}` : ''}\n`);
  }
  if (options.reports.files.length > 0) {
    const { writeRunReports } = await import('./html/run-report.js');
    await writeRunReports({ reports: options.reports.files, outputs: ending.outputs, prompt: options.reports.prompt, stderr: io.stderr, quiet: options.quiet, summary });
  }
  if (ending.stop) {
    io.stderr.write(`verdict: the run stopped (${ending.stop.code}): ${options.redact(ending.stop.message)}\n  hint: ${ending.stop.hint}\n`);
  }
  for (const reason of ending.reasons) io.stderr.write(`verdict: ${reason}\n`);
  const { continuation } = options;
  if (continuation.ungraded !== undefined) {
    io.stderr.write(`${continuation.ungraded}\n  ${continuation.command('--resume')}\n`);
  } else if (Object.keys(summary.errors).length > 0 && !options.quiet) {
    io.stderr.write(`${continuation.errors}\n  ${continuation.command('--retry-errors')}\n`);
  }
  return exitCode;
}

/** Writes a summary as `--summary` does (of a run, a collect or a merge), making its folder. */
export async function writeSummaryFile(file: string, summary: Summary): Promise<void> {
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
}

async function appendStepSummary(target: { path: string; worst: WorstRows }, ending: RunEnding, options: EndOfRunOptions, io: Io): Promise<void> {
  const { renderStepSummary } = await import('./step-summary.js');
  const comparison = options.baseline && (await import('./baseline-gate.js')).baselineMarkdown(options.baseline.comparison, 4);
  try {
    // Appended, never truncated: the file holds the summaries of the job's earlier steps.
    const text = renderStepSummary(ending.summary, target.worst.rows(), { reasons: ending.reasons, ...(comparison ? { comparison } : {}) });
    await appendFile(target.path, options.redact(text));
  } catch (error) {
    // The results are written and the run is judged already; a missing job summary is only a warning.
    io.stderr.write(`verdict: warning: could not append to GITHUB_STEP_SUMMARY (${target.path}): ${(error as Error).message}\n`);
  }
}
