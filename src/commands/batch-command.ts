import { readEnvironment, requireApiKey, type Environment } from '../config.js';
import { ExitCode, UsageError } from '../errors.js';
import type { Io } from '../io.js';
import type { CollectResult } from '../batch/collect.js';
import type { Continuation, EndOfRunOptions } from '../report/end-of-run.js';
import type { BatchCommand } from './batch-definition.js';
import { parseFlags } from './parse-flags.js';
import { BatchCollectFlags, BatchStatusFlags, parseRunFlags, redactor, type RunFlags } from './run-flags.js';

/** `verdict batch submit|status|collect` (their flags: batch-definition.ts): one src/batch stage each, its outcome printed, an exit code out. */
export async function batchAction(command: BatchCommand, raw: Record<string, unknown>, io: Io, setExitCode: (code: number) => void): Promise<void> {
  const subcommand = { submit: submitCommand, status: statusCommand, collect: collectCommand }[command];
  setExitCode(await subcommand(raw, io));
}

/** `verdict run --batch` (flags parsed by run-command.ts): submit (or resume), wait with a progress bar, collect. */
export async function runWithBatch(options: RunFlags, env: Environment, io: Io, argv: string[]): Promise<number> {
  refuseForBatch(options);
  if (options.dryRun) return dryRun(options, io);
  const { runBatchEval } = await import('../batch/run-batch.js');
  const progress = await progressFor(io, options.quiet, options.progress);
  let result: CollectResult;
  try {
    result = await runBatchEval(
      // --force was checked at submit for the --summary too: collect must not refuse what submit allowed.
      { submit: submitOptionsOf(options), collect: { ...collectOptionsOf(options, env.apiKey), force: options.force }, pollIntervalMs: options.pollInterval },
      // A call here may upload 200 MB: the per-attempt --timeout of a synchronous run is too short for it.
      { client: await clientFor(env.apiKey, options.baseUrl, Math.max(options.timeout, 600_000)), signal: io.interrupt, onEvent: progress.onEvent },
    );
  } finally {
    progress.stop();
  }
  const { syncCommand } = await import('../batch/continue-command.js');
  return endCollect(result, { quiet: options.quiet, summaryFile: options.summary, reports: { files: options.reports, prompt: options.prompt } }, (flag) => syncCommand(argv, flag), env, io);
}

/** A batch holds one request per row, from the prompt as written: --repeat and --pair are for synchronous runs. */
function refuseForBatch(options: RunFlags): void {
  if (options.repeat > 1) throw new UsageError('--repeat is not supported with the Batch API yet', 'grade with "verdict run" without --batch');
  if (options.pair) throw new UsageError('--pair is not supported with the Batch API yet', 'set pair: in the prompt file instead');
  if (Object.keys(options.fields).length > 0) throw new UsageError('--field is not supported with the Batch API yet', 'name the fields in the prompt file instead');
}

async function submitCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const { options, env } = parseRunFlags(raw, io);
  refuseForBatch(options);
  const { submitBatches } = await import('../batch/submit.js');
  const print = (line: string) => {
    if (!options.quiet) io.stderr.write(`${line}\n`);
  };
  const progress = await progressFor(io, options.quiet, false);
  const submitted = await submitBatches(submitOptionsOf(options), {
    client: await clientFor(env.apiKey, options.baseUrl, options.timeout),
    signal: io.interrupt,
    onEvent: progress.onEvent,
  });
  const { state } = submitted;
  const requests = state.parts.reduce((sum, part) => sum + part.requests, 0);
  print(
    submitted.resumed
      ? `the batches of ${state.outputs[0]} were submitted at ${state.submitted_at}; nothing new was uploaded`
      : `submitted ${requests} requests in ${state.parts.length} batch${state.parts.length === 1 ? '' : 'es'}; state: ${submitted.statePath}`,
  );
  print(`check on them:  verdict batch status -o ${state.outputs[0]}\nthen collect:   verdict batch collect -o ${state.outputs[0]}`);
  return ExitCode.ok;
}

async function statusCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const env = readEnvironment(io.env);
  const flags = parseFlags(BatchStatusFlags, raw);
  const { batchStatus } = await import('../batch/run-batch.js');
  const { statePath, state, finished } = await batchStatus(flags.out, (submitted) => clientFor(env.apiKey, flags.baseUrl ?? submitted.base_url ?? env.baseUrl, flags.timeout), io.interrupt);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify({ state_file: statePath, finished, ...state }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const { renderStatus } = await import('../batch/render-status.js');
  io.stdout.write(renderStatus(state));
  return ExitCode.ok;
}

async function collectCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const env = readEnvironment(io.env);
  const flags = parseFlags(BatchCollectFlags, raw);
  const progress = await progressFor(io, flags.quiet, flags.progress);
  const { collectSubmitted } = await import('../batch/run-batch.js');
  let result: Awaited<ReturnType<typeof collectSubmitted>>;
  try {
    result = await collectSubmitted(
      flags.out,
      (state) => clientFor(env.apiKey, flags.baseUrl ?? state.base_url ?? env.baseUrl, flags.timeout),
      { wait: flags.wait, pollIntervalMs: flags.pollInterval, collect: { ...collectOptionsOf(flags, env.apiKey), force: flags.force } },
      { signal: io.interrupt, onEvent: progress.onEvent },
    );
  } finally {
    progress.stop();
  }
  const { commandFromState } = await import('../batch/continue-command.js');
  const { state } = result;
  return endCollect(result, { quiet: flags.quiet, summaryFile: flags.summary, reports: { files: [], prompt: state.prompt_file } }, (flag) => commandFromState(state, flag), env, io);
}

function submitOptionsOf(options: RunFlags) {
  const mode = options.retryErrors ? 'retry-errors' : options.resume ? 'resume' : 'fresh';
  return {
    source: { dataset: options.dataset, prompt: options.prompt, model: options.model, idField: options.idField, limit: options.limit, shard: options.shard, reasoningEffort: options.reasoningEffort },
    outputs: options.out,
    mode: mode as 'fresh' | 'resume' | 'retry-errors',
    force: options.force,
    baseUrl: options.baseUrl,
    price: options.price,
    maxCost: options.maxCost,
    limits: options.batchSize === undefined ? undefined : { maxRequests: options.batchSize, maxBytes: 200 * 1024 * 1024 },
    summary: options.summary,
    reports: options.reports,
  };
}

function collectOptionsOf(options: Pick<RunFlags, 'summary' | 'failUnder' | 'minPassRate' | 'maxErrorRate' | 'gateOnInterval' | 'price'>, apiKey: string | undefined) {
  return {
    summary: options.summary,
    gates: { failUnder: options.failUnder, minPassRate: options.minPassRate, maxErrorRate: options.maxErrorRate, onInterval: options.gateOnInterval },
    price: options.price,
    redact: redactor(apiKey),
  };
}

async function clientFor(apiKey: string | undefined, baseURL: string | undefined, timeoutMs: number) {
  requireApiKey(apiKey);
  const { createBatchClient } = await import('../batch/client.js');
  return createBatchClient({ apiKey, baseURL, timeoutMs });
}

async function progressFor(io: Io, quiet: boolean, bar: boolean) {
  const { createBatchProgress } = await import('../batch/progress.js');
  return createBatchProgress({ stream: io.stderr, style: quiet ? 'none' : bar && io.stderr.isTTY ? 'bar' : 'lines' });
}

/** Collected batches to the end-of-run stage `verdict run` ends with, priced at the batch discount and continued synchronously. */
async function endCollect(
  result: CollectResult,
  options: Pick<EndOfRunOptions, 'quiet' | 'summaryFile' | 'reports'>,
  command: Continuation['command'],
  env: Environment,
  io: Io,
): Promise<number> {
  const { endRun } = await import('../report/end-of-run.js');
  const continuation: Continuation = {
    ungraded: result.unanswered > 0 ? `to grade the ${result.unanswered} rows that got no answer:` : undefined,
    errors: 'to grade the rows that ended in error again, synchronously:',
    command,
  };
  return endRun(result, { ...options, resultsNote: '(cost at the Batch API price, half the list price)', continuation, redact: redactor(env.apiKey) }, io);
}

/** --dry-run with --batch: the synchronous dry run, priced at the batch discount. */
async function dryRun(options: RunFlags, io: Io): Promise<number> {
  const { runEval } = await import('../run/run-eval.js');
  const { renderDryRun } = await import('../report/render-dry-run.js');
  const { BATCH_PRICE_FACTOR } = await import('../batch/discount.js');
  const result = await runEval(options, { stdin: io.stdin });
  if (result.kind !== 'dry-run') return ExitCode.runFailed;
  const cost = result.report.estimatedCostUsd;
  io.stdout.write(renderDryRun({ ...result.report, estimatedCostUsd: cost === null ? null : cost * BATCH_PRICE_FACTOR }));
  io.stdout.write('(--batch: the cost is at the Batch API price, half the list price)\n');
  return ExitCode.ok;
}
