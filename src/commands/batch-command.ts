import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../io.js';
import { checkedBaseUrl, readEnvironment, RunOptions } from '../config.js';
import { ExitCode, UsageError } from '../errors.js';
import type { BatchState } from '../batch/state.js';
import type { CollectResult } from '../batch/collect.js';
import { DEFAULT_POLL_MS, type BatchCommand } from './batch-definition.js';
import { parseRunFlags, redactor, usageErrorOf } from './run-flags.js';

/** `verdict batch submit|status|collect` (their flags: batch-definition.ts): the src/batch stages run, their outcome printed, an exit code out. */
export async function batchAction(command: BatchCommand, raw: Record<string, unknown>, io: Io, setExitCode: (code: number) => void, argv: string[]): Promise<void> {
  const body = { submit: submitCommand, status: statusCommand, collect: collectCommand }[command];
  setExitCode(await guarded(io, () => body(raw, io), argv));
}

/** `verdict run --batch`: submit (or resume), wait with a progress bar, collect. */
export async function runWithBatch(raw: Record<string, unknown>, io: Io, argv: string[]): Promise<number> {
  return guarded(io, async () => {
    const { options, env } = parseRunFlags(raw, io);
    refuseForBatch(options);
    if (options.dryRun) return dryRun(options, io);
    const { runBatchEval } = await import('../batch/run-batch.js');
    const progress = await progressFor(io, options.quiet, options.progress);
    try {
      const result = await runBatchEval(
        // --force was checked at submit for the --summary too: collect must not refuse what submit allowed.
        { submit: submitOptionsOf(options, raw), collect: { ...collectOptionsOf(options, env.apiKey), force: options.force }, pollIntervalMs: pollInterval(raw) },
        // A call here may upload 200 MB: the per-attempt --timeout of a synchronous run is too short for it.
        { client: await clientFor(env.apiKey, options.baseUrl, Math.max(options.timeout, 600_000)), signal: io.interrupt, onEvent: progress.onEvent },
      );
      progress.stop();
      return await report(result, { quiet: options.quiet, summary: options.summary }, io, argv);
    } catch (error) {
      progress.stop();
      throw error;
    }
  }, argv);
}

/** A batch holds one request per row, from the prompt as written: --repeat and --pair are for synchronous runs. */
function refuseForBatch(options: RunOptions): void {
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
  const submitted = await submitBatches(submitOptionsOf(options, raw), {
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
  const { requireBatchState } = await import('../batch/state.js');
  const { path: statePath, state } = await requireBatchState(String(raw.out));
  if (state.collected_at === null) {
    const { refreshParts } = await import('../batch/poll.js');
    const client = await clientFor(env.apiKey, baseUrlFlag(raw.baseUrl) ?? state.base_url ?? env.baseUrl, timeoutOf(raw));
    await refreshParts(state, statePath, client, io.interrupt);
  }
  const { isFinished } = await import('../batch/state.js');
  const finished = state.parts.every(isFinished);
  if (raw.json === true) {
    io.stdout.write(`${JSON.stringify({ state_file: statePath, finished, ...state }, null, 2)}\n`);
    return ExitCode.ok;
  }
  const { renderStatus } = await import('../batch/render-status.js');
  io.stdout.write(renderStatus(state));
  return ExitCode.ok;
}

async function collectCommand(raw: Record<string, unknown>, io: Io): Promise<number> {
  const env = readEnvironment(io.env);
  const options = parseCollectFlags(raw);
  const { requireBatchState } = await import('../batch/state.js');
  const { path: statePath, state } = await requireBatchState(String(raw.out));
  const client = await clientFor(env.apiKey, baseUrlFlag(raw.baseUrl) ?? state.base_url ?? env.baseUrl, timeoutOf(raw));
  const progress = await progressFor(io, options.quiet, options.progress);
  const deps = { client, signal: io.interrupt, onEvent: progress.onEvent };
  try {
    if (raw.wait === true && state.collected_at === null) {
      const { waitForParts } = await import('../batch/poll.js');
      await waitForParts(state, statePath, client, { pollIntervalMs: pollInterval(raw), signal: io.interrupt, onEvent: progress.onEvent });
    }
    const { collectBatches } = await import('../batch/collect.js');
    const result = await collectBatches(state, statePath, { ...collectOptionsOf(options, env.apiKey), force: raw.force === true }, deps);
    progress.stop();
    return await report(result, { quiet: options.quiet, summary: options.summary }, io, undefined, state);
  } catch (error) {
    progress.stop();
    throw error;
  }
}

const CollectFlags = RunOptions.pick({ failUnder: true, minPassRate: true, maxErrorRate: true, gateOnInterval: true, price: true, summary: true, progress: true, quiet: true });
type CollectFlags = ReturnType<typeof CollectFlags.parse>;

function parseCollectFlags(raw: Record<string, unknown>): CollectFlags {
  const parsed = CollectFlags.safeParse({ ...raw, gateOnInterval: raw.gateOnInterval === true, quiet: raw.quiet === true, progress: raw.progress !== false });
  if (!parsed.success) throw usageErrorOf(parsed.error);
  return parsed.data;
}

function submitOptionsOf(options: RunOptions, raw: Record<string, unknown>) {
  const mode = options.retryErrors ? 'retry-errors' : options.resume ? 'resume' : 'fresh';
  const size = raw.batchSize === undefined ? undefined : Number(raw.batchSize);
  if (size !== undefined && (!Number.isInteger(size) || size < 1 || size > 50_000)) throw new UsageError('--batch-size must be a whole number from 1 to 50000');
  return {
    source: { dataset: options.dataset, prompt: options.prompt, model: options.model, idField: options.idField, limit: options.limit, shard: options.shard, reasoningEffort: options.reasoningEffort },
    outputs: options.out,
    mode: mode as 'fresh' | 'resume' | 'retry-errors',
    force: options.force,
    baseUrl: options.baseUrl,
    price: options.price,
    maxCost: options.maxCost,
    limits: size === undefined ? undefined : { maxRequests: size, maxBytes: 200 * 1024 * 1024 },
    summary: options.summary,
    reports: options.reports,
  };
}

function collectOptionsOf(options: CollectFlags, apiKey: string | undefined) {
  return {
    summary: options.summary,
    gates: { failUnder: options.failUnder, minPassRate: options.minPassRate, maxErrorRate: options.maxErrorRate, onInterval: options.gateOnInterval },
    price: options.price,
    redact: redactor(apiKey),
  };
}

async function clientFor(apiKey: string | undefined, baseURL: string | undefined, timeoutMs: number) {
  if (!apiKey) throw new UsageError('OPENAI_API_KEY is not set', 'set it in the environment or in a .env file in this directory');
  const { createBatchClient } = await import('../batch/client.js');
  return createBatchClient({ apiKey, baseURL, timeoutMs });
}

async function progressFor(io: Io, quiet: boolean, bar: boolean) {
  const { createBatchProgress } = await import('../batch/progress.js');
  return createBatchProgress({ stream: io.stderr, style: quiet ? 'none' : bar && io.stderr.isTTY ? 'bar' : 'lines' });
}

/** Prints the summary, writes --summary, says how to continue; returns the exit code. */
async function report(result: CollectResult, options: { quiet: boolean; summary?: string }, io: Io, argv?: string[], state?: BatchState): Promise<number> {
  const { summary } = result;
  if (options.summary) {
    await mkdir(path.dirname(path.resolve(options.summary)), { recursive: true });
    await writeFile(options.summary, `${JSON.stringify(summary, null, 2)}\n`);
  }
  if (!options.quiet) {
    const { renderSummary } = await import('../report/render-summary.js');
    const color = io.stderr.isTTY === true && !io.env.NO_COLOR;
    io.stderr.write(renderSummary(summary, { color, width: Math.min(io.stderr.columns ?? 80, 100) }));
    io.stderr.write(`results: ${result.outputs.join(', ')} (cost at the Batch API price, half the list price)\n`);
  }
  for (const reason of result.reasons) io.stderr.write(`verdict: ${reason}\n`);
  const { commandFromState, syncCommand } = await import('../batch/continue-command.js');
  const again = (flag: string) => (argv ? syncCommand(argv, flag) : state ? commandFromState(state, flag) : undefined);
  if (result.unanswered > 0) {
    io.stderr.write(`to grade the ${result.unanswered} rows that got no answer:\n  ${again('--resume')}\n`);
  } else if (Object.keys(summary.errors).length > 0 && !options.quiet) {
    io.stderr.write(`to grade the rows that ended in error again, synchronously:\n  ${again('--retry-errors')}\n`);
  }
  return result.exitCode;
}

/** --dry-run with --batch: the synchronous dry run, priced at the batch discount. */
async function dryRun(options: RunOptions, io: Io): Promise<number> {
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

/** Runs a batch command, turning its stopping failures into one message and an exit code. */
async function guarded(io: Io, body: () => Promise<number>, argv?: string[]): Promise<number> {
  const { BatchApiError, BatchInterruptedError } = await import('../batch/batch-errors.js');
  try {
    return await body();
  } catch (error) {
    if (error instanceof BatchInterruptedError) {
      io.stderr.write(`verdict: ${error.message}; the batches already created keep running, and the state file beside the results says where\n`);
      const { shellQuote } = await import('../batch/continue-command.js');
      const { withoutCredentials } = await import('../text/url-credentials.js');
      if (argv) io.stderr.write(`to continue (nothing already sent is sent again):\n  ${['verdict', ...withoutCredentials(argv)].map(shellQuote).join(' ')}\n`);
      return ExitCode.interrupted;
    }
    if (error instanceof BatchApiError) {
      io.stderr.write(`verdict: ${redactor(readEnvironment(io.env).apiKey)(error.message)}\n  hint: ${error.hint}\n`);
      return ExitCode.runFailed;
    }
    throw error;
  }
}

function pollInterval(raw: Record<string, unknown>): number {
  const ms = raw.pollInterval === undefined ? DEFAULT_POLL_MS : Number(raw.pollInterval);
  if (!Number.isFinite(ms) || ms < 0) throw new UsageError('--poll-interval must be a number of milliseconds, 0 or more');
  return ms;
}

function timeoutOf(raw: Record<string, unknown>): number {
  const ms = Number(raw.timeout);
  if (!Number.isInteger(ms) || ms < 1) throw new UsageError('--timeout must be a whole number of milliseconds, at least 1');
  return ms;
}

function baseUrlFlag(value: unknown): string | undefined {
  return checkedBaseUrl(typeof value === 'string' && value !== '' ? value : undefined, '--base-url');
}

