import type { Environment } from '../config.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import { verdictCommand } from '../text/command-line.js';
import { withoutCredentials } from '../text/url-credentials.js';
import { reportFailure } from './failure.js';
import { parseRunFlags, redactor, runSecrets, type RunFlags } from './run-flags.js';

/** `verdict run` (its flags: run-definition.ts): flags in, runEval (or, with --batch, the Batch API), its outcome to the end-of-run stage, an exit code out. */
export async function runAction(raw: Record<string, unknown>, io: Io, setExitCode: (code: number) => void, argv: string[], given: ReadonlySet<string> = new Set()): Promise<void> {
  // Without --dataset, the suites of verdict.yaml (or --config), each run as its own command line would be.
  if (raw.dataset === undefined || raw.config !== undefined || raw.suite !== undefined) {
    const { runSuitesFile } = await import('../suites/run-all.js');
    const code = await runSuitesFile(
      { raw, given, argv, io },
      {
        parse: async (flags) => (await parseRun(flags, io)).options,
        // A suite that fails to start is said as the command line would say it; the next suite still runs.
        run: (flags, args) => runFlags(flags, io, args).catch((error: unknown) => reportFailure(error, io, args)),
      },
    );
    if (code !== undefined) return setExitCode(code);
  }
  setExitCode(await runFlags(raw, io, argv));
}

async function parseRun(raw: Record<string, unknown>, io: Io): Promise<{ options: RunFlags; env: Environment }> {
  // An .html out is a report built from the results once the run ends, not a sink.
  const { splitReportOutputs } = await import('../report/html/report-outputs.js');
  return parseRunFlags({ ...raw, ...splitReportOutputs(raw.out as string[] | undefined) }, io);
}

async function runFlags(raw: Record<string, unknown>, io: Io, argv: string[]): Promise<number> {
  const { options, env } = await parseRun(raw, io);
  if (options.batch) {
    if (options.baseline !== undefined) throw new UsageError('--baseline is not available with --batch yet', 'collect the batch, then run verdict compare baseline.jsonl results.jsonl --fail-if-worse');
    if (options.judges.length > 0) throw new UsageError('--judge is not available with --batch yet', 'grade with a panel without --batch, or with one judge (-m, --base-url) through the Batch API');
    const { runWithBatch } = await import('./batch-command.js');
    return runWithBatch(options, env, io, argv);
  }
  return runSynchronously(options, env, io, argv);
}

async function runSynchronously(options: RunFlags, env: Environment, io: Io, argv: string[]): Promise<number> {
  const { runEval } = await import('../run/run-eval.js');
  const { createProgress } = await import('../report/progress.js');
  const style = options.quiet || options.dryRun ? 'none' : options.progress && io.stderr.isTTY ? 'bar' : 'lines';
  const progress = await createProgress({ stream: io.stderr, style });
  const redact = redactor(...runSecrets(options, env));
  // Under GitHub Actions the worst rows go to the step summary: kept from the row events, O(10) memory.
  const worst = env.stepSummaryPath ? new (await import('../report/worst-rows.js')).WorstRows(10) : undefined;

  let result: Awaited<ReturnType<typeof runEval>>;
  try {
    result = await runEval(options, {
      apiKey: env.apiKey,
      ...(env.keyIn ? { keyIn: env.keyIn } : {}),
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
    return ExitCode.ok;
  }
  if (result.kind === 'interrupted') {
    io.stderr.write(`verdict: ${result.message}\n`);
    return ExitCode.interrupted;
  }
  const { summary } = result;
  const { endRun } = await import('../report/end-of-run.js');
  return endRun(
    result,
    {
      quiet: options.quiet,
      summaryFile: options.summary,
      ...(result.baseline ? { baseline: { comparison: result.baseline, ...(options.markdown ? { markdown: options.markdown } : {}) } } : {}),
      ...(env.stepSummaryPath && worst ? { stepSummary: { path: env.stepSummaryPath, worst } } : {}),
      reports: { files: options.reports, prompt: options.prompt },
      continuation: {
        ungraded: summary.status !== 'complete' && summary.graded < summary.rows ? 'to continue where this run stopped:' : undefined,
        errors: 'to grade the rows that ended in error again:',
        command: (flag) => continueCommand(argv, flag),
      },
      redact,
    },
    io,
  );
}

/** The command line that continues this run: the same arguments, with `flag` and without --force (nor a URL's credentials). */
export function continueCommand(argv: string[], flag: '--resume' | '--retry-errors'): string {
  const kept = argv.filter((arg) => arg !== '--force' && arg !== '--resume' && arg !== '--retry-errors');
  // A URL with credentials never gets this far (config.ts refuses it); stripped all the same, as a
  // printed command must never echo a secret.
  return verdictCommand([...withoutCredentials(kept), flag]);
}
