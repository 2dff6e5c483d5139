import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../io.js';
import { ExitCode } from '../errors.js';
import type { Summary } from '../stats/summary.js';
import { parseRunFlags, redactor } from './run-flags.js';
import { withoutCredentials } from '../text/url-credentials.js';

/** `verdict run` (its flags: run-definition.ts): flags in, a typed RunOptions to runEval, its outcome printed, an exit code out. */
export async function runAction(raw: Record<string, unknown>, io: Io, setExitCode: (code: number) => void, argv: string[]): Promise<void> {
  // An .html out is a report built from the results once the run ends, not a sink.
  const { splitReportOutputs } = await import('../report/html/report-outputs.js');
  const { out, reports } = splitReportOutputs(raw.out as string[] | undefined);
      const flags = { ...raw, out, reports };
  if (raw.batch === true) {
    const { runWithBatch } = await import('./batch-command.js');
    const code = await runWithBatch(flags, io, argv);
    // Only a batch that was collected has records to report on (not bad usage, nor a wait that was interrupted).
    if (reports.length > 0 && raw.dryRun !== true && [0, 1, 3].includes(code)) await writeReports(reports, flags, io);
    return setExitCode(code);
  }
  setExitCode(await runCommand(flags, io, argv, reports));
}

/** Writes the HTML reports of a run that has ended, from its results file (and its summary, when there is one). */
async function writeReports(reports: string[], raw: Record<string, unknown>, io: Io, summary?: Summary): Promise<void> {
  const { writeRunReports } = await import('../report/html/run-report.js');
  const outputs = (raw.out as string[] | undefined) ?? ['results.jsonl'];
  await writeRunReports({ reports, outputs, prompt: String(raw.prompt), stderr: io.stderr, quiet: raw.quiet === true, ...(summary ? { summary } : {}) });
}

async function runCommand(raw: Record<string, unknown>, io: Io, argv: string[], reports: string[] = []): Promise<number> {
  const { options, env } = parseRunFlags(raw, io);

  const { runEval } = await import('../run/run-eval.js');
  const { createProgress } = await import('../report/progress.js');
  const style = options.quiet || options.dryRun ? 'none' : options.progress && io.stderr.isTTY ? 'bar' : 'lines';
  const progress = await createProgress({ stream: io.stderr, style });
  const redact = redactor(env.apiKey);
  // Under GitHub Actions the worst rows go to the step summary: kept from the row events, O(10) memory.
  const worst = env.stepSummaryPath ? new (await import('../report/worst-rows.js')).WorstRows(10) : undefined;

  let result: Awaited<ReturnType<typeof runEval>>;
  try {
    result = await runEval(options, {
      apiKey: env.apiKey,
      signal: io.interrupt,
      abortNow: io.abortNow,
      stdin: io.stdin,
      onEvent: (event) => {
        progress.onEvent(event);
        if (event.type === 'row') worst?.add(event.record);
      },
      redact,
    });
  } finally {
    progress.stop();
  }

  if (result.kind === 'dry-run') {
    const { renderDryRun } = await import('../report/render-dry-run.js');
    io.stdout.write(renderDryRun(result.report));
    return 0;
  }
  if (result.kind === 'interrupted') {
    io.stderr.write(`verdict: ${result.message}\n`);
    return ExitCode.interrupted;
  }
  const { summary } = result;
  let exitCode: number = result.exitCode;
  if (options.summary) {
    try {
    await mkdir(path.dirname(path.resolve(options.summary)), { recursive: true });
    await writeFile(options.summary, `${JSON.stringify(summary, null, 2)}\n`);
    } catch (error) {
      // The results are on disk: say what failed and go on to print the summary and how to continue.
      io.stderr.write(`verdict: could not write the summary to ${options.summary}: ${(error as Error).message}\n`);
      if (exitCode === ExitCode.ok || exitCode === ExitCode.gateFailed) exitCode = ExitCode.runFailed;
    }
  }
  if (env.stepSummaryPath && worst) {
    const { renderStepSummary } = await import('../report/step-summary.js');
    try {
      // Appended, never truncated: the file holds the summaries of the job's earlier steps.
      await appendFile(env.stepSummaryPath, redact(renderStepSummary(summary, worst.rows(), { reasons: result.reasons })));
    } catch (error) {
      // The results are written and the run is judged already; a missing job summary is only a warning.
      io.stderr.write(`verdict: warning: could not append to GITHUB_STEP_SUMMARY (${env.stepSummaryPath}): ${(error as Error).message}\n`);
    }
  }
  if (!options.quiet) {
    const { renderSummary, terminalRenderOptions } = await import('../report/render-summary.js');
    io.stderr.write(renderSummary(summary, terminalRenderOptions(io.stderr, io.env)));
    io.stderr.write(`results: ${result.outputs.join(', ')}\n`);
  }
  if (reports.length > 0) await writeReports(reports, raw, io, summary);
  if (result.stop) {
    io.stderr.write(`verdict: the run stopped (${result.stop.code}): ${redact(result.stop.message)}\n  hint: ${result.stop.hint}\n`);
  }
  for (const reason of result.reasons) io.stderr.write(`verdict: ${reason}\n`);
  if (summary.status !== 'complete' && summary.graded < summary.rows) {
    io.stderr.write(`to continue where this run stopped:\n  ${continueCommand(argv, '--resume')}\n`);
  } else if (Object.keys(summary.errors).length > 0 && !options.quiet) {
    io.stderr.write(`to grade the rows that ended in error again:\n  ${continueCommand(argv, '--retry-errors')}\n`);
  }
  return exitCode;
}

/** The command line that continues this run: the same arguments, with `flag` and without --force (nor a URL's credentials). */
export function continueCommand(argv: string[], flag: '--resume' | '--retry-errors'): string {
  const kept = argv.filter((arg) => arg !== '--force' && arg !== '--resume' && arg !== '--retry-errors');
  const shown = withoutCredentials(kept);
  const command = ['verdict', ...shown, flag].map(shellQuote).join(' ');
  return shown.some((arg, i) => arg !== kept[i]) ? `${command}\n  (the base URL's user and password are left out: add them back)` : command;
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

