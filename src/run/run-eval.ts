import { openDataset } from '../dataset/open.js';
import type { Dataset } from '../dataset/types.js';
import { rowIdOf, type IdFieldChoice } from '../dataset/row-id.js';
import { UsageError } from '../errors.js';
import { createJudgeClient } from '../judge/client.js';
import { gradeRow, RowCancelledError, RunStopError, type GradeContext } from '../judge/grade-row.js';
import { toResponseFormat } from '../judge/json-schema.js';
import { answerSpecFor } from '../judge/modes/index.js';
import { loadPrompt, type JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';
import { openSinks } from '../results/open-sinks.js';
import type { ResultSink } from '../results/sink.js';
import { decideExitCode } from '../report/gates.js';
import { estimateCostUsd } from '../report/prices.js';
import { SummaryAccumulator, type Summary } from '../report/summary.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../scheduler/backoff.js';
import { Semaphore } from '../scheduler/semaphore.js';
import type { RunOptions } from '../config.js';
import type { RunEvent } from './events.js';
import { preflight, type PreflightReport } from './preflight.js';

/** What a run needs besides its options; injected so tests and the CLI can each supply theirs. */
export interface RunDependencies {
  apiKey?: string;
  /** Fires on Ctrl-C: stop dispatching, abort what is in flight, keep what was graded. */
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  stdin?: NodeJS.ReadableStream;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  backoff?: Partial<BackoffOptions>;
  /** Scrubs secrets (the API key, if a server echoes it) from text that reaches records or output. */
  redact?: (text: string) => string;
}

/** What --dry-run found: enough to check a run before paying for it. */
export interface DryRunReport {
  rows: number;
  model: string;
  firstRequest: { model: string; messages: ChatMessage[]; temperature: number; max_completion_tokens: number; response_format: unknown };
  estimatedTokens: { prompt: number; completion: number };
  estimatedCostUsd: number | null;
}

/** The outcome of `verdict run`, for the CLI to print and exit with. */
export type RunResult =
  | { kind: 'dry-run'; report: DryRunReport }
  | {
      kind: 'run';
      summary: Summary;
      exitCode: 0 | 1 | 2 | 3 | 130;
      reasons: string[];
      stop?: { code: string; message: string; hint: string };
      outputs: string[];
    };

/**
 * Grades a dataset with a judge prompt. Bad input throws (InputError, UsageError) before anything
 * is sent; afterwards every graded row is written as it completes, and a failure that ends the run
 * early keeps them. Never prints and never exits: progress goes to `onEvent`.
 */
export async function runEval(options: RunOptions, deps: RunDependencies = {}): Promise<RunResult> {
  const now = deps.now ?? (() => performance.now());
  const started = now();
  const prompt = await loadPrompt(options.prompt);
  const dataset = await openDataset(options.dataset, { stdin: deps.stdin });
  const idField = { name: options.idField ?? 'id', explicit: options.idField !== undefined };
  const report = await preflight(dataset, prompt, { idField, limit: options.limit });
  const model = options.model ?? prompt.settings.model ?? 'gpt-4o-mini';
  const spec = answerSpecFor(prompt);
  const responseFormat = toResponseFormat(spec.schemaName, spec.schema);

  if (options.dryRun) return { kind: 'dry-run', report: dryRunReport(report, prompt, model, responseFormat) };
  if (!deps.apiKey) {
    throw new UsageError('OPENAI_API_KEY is not set', 'set it in the environment or in a .env file in this directory');
  }
  const sink = await openSinks(options.out, { force: options.force, rowColumns: report.rowColumns });

  const emit = deps.onEvent ?? (() => {});
  const redact = deps.redact ?? ((text: string) => text);
  const stopController = new AbortController();
  const signal = deps.signal ? AbortSignal.any([deps.signal, stopController.signal]) : stopController.signal;
  const counters = { requests: 0, retries: 0, rateLimited: 0 };
  const accumulator = new SummaryAccumulator();
  let stop: { code: string; message: string; hint: string } | undefined;

  const ctx: GradeContext = {
    client: createJudgeClient({ apiKey: deps.apiKey, baseURL: options.baseUrl, timeoutMs: options.timeout }),
    spec,
    responseFormat,
    judge: { model, prompt: prompt.name, prompt_sha: prompt.sha },
    temperature: prompt.settings.temperature,
    maxTokens: prompt.settings.max_tokens,
    timeoutMs: options.timeout,
    maxRetries: options.maxRetries,
    backoff: { ...DEFAULT_BACKOFF, random: Math.random, ...deps.backoff },
    structured: { enabled: true },
    signal,
    now,
    sleep: deps.sleep,
    onRequest: () => {
      counters.requests++;
      emit({ type: 'request' });
    },
    onStructuredOutputsOff: () => emit({ type: 'structured-outputs-off' }),
    onRateLimited: () => {
      counters.rateLimited++;
      emit({ type: 'rate-limited' });
    },
  };

  emit({ type: 'start', rows: report.rows, model, prompt: prompt.name, concurrency: options.concurrency });
  const onCancel = () => emit({ type: 'stopping', reason: 'cancelled', message: 'interrupted: finishing what is written' });
  deps.signal?.addEventListener('abort', onCancel, { once: true });
  try {
    await dispatch(dataset, prompt, { concurrency: options.concurrency, limit: options.limit, idField }, ctx, {
      sink,
      signal,
      redact,
      onRetry: (rowId, notice) => {
        counters.retries++;
        emit({ type: 'retry', rowId, notice });
      },
      onRecord: (record) => {
        accumulator.add(record);
        emit({ type: 'row', record });
      },
      onStop: (error) => {
        if (stop) return;
        stop = { code: error.code, message: redact(error.message), hint: error.hint };
        emit({ type: 'stopping', reason: 'fatal', message: stop.message });
        stopController.abort(error);
      },
    });
  } finally {
    deps.signal?.removeEventListener('abort', onCancel);
    await sink.close();
  }

  const interrupted = deps.signal?.aborted === true && !stop;
  const summary = accumulator.finish({
    status: stop ? 'failed' : interrupted ? 'cancelled' : 'complete',
    rows: report.rows,
    requests: counters.requests,
    retries: counters.retries,
    rateLimited: counters.rateLimited,
    wallMs: now() - started,
    model,
    prompt: prompt.name,
  });
  const verdict = decideExitCode(
    summary,
    { failUnder: options.failUnder, minPassRate: options.minPassRate, maxErrorRate: options.maxErrorRate },
    stop !== undefined,
    interrupted,
  );
  return { kind: 'run', summary, exitCode: verdict.code, reasons: verdict.reasons, stop, outputs: options.out };
}

interface DispatchHooks {
  sink: ResultSink;
  signal: AbortSignal;
  redact: (text: string) => string;
  onRetry: (rowId: string, notice: Parameters<NonNullable<GradeContext['onRetry']>>[0]) => void;
  onRecord: (record: Awaited<ReturnType<typeof gradeRow>>) => void;
  onStop: (error: RunStopError) => void;
}

/**
 * Streams rows into graders, at most `concurrency` at a time. Reading waits for a free slot, so
 * memory holds only the rows in flight. Each record is written before the row counts as done.
 */
async function dispatch(
  dataset: Dataset,
  prompt: JudgePrompt,
  options: { concurrency: number; limit?: number; idField: IdFieldChoice },
  ctx: GradeContext,
  hooks: DispatchHooks,
): Promise<void> {
  const slots = new Semaphore(options.concurrency);
  const inFlight = new Set<Promise<void>>();
  let sent = 0;
  let writeFailure: unknown;
  for await (const row of dataset.rows()) {
    if (options.limit !== undefined && sent >= options.limit) break;
    const release = await slots.acquire();
    if (hooks.signal.aborted || writeFailure) {
      release();
      break;
    }
    sent++;
    const id = rowIdOf(row, options.idField, dataset.file);
    const messages = prompt.template.render(row.fields, { file: dataset.file, rowNumber: row.rowNumber, line: row.line });
    const task = gradeRow({ id, fields: row.fields, messages }, { ...ctx, onRetry: (notice) => hooks.onRetry(id, notice) })
      .then(async (graded) => {
        const record = graded.error ? { ...graded, error: { ...graded.error, message: hooks.redact(graded.error.message) } } : graded;
        await hooks.sink.write(record);
        hooks.onRecord(record);
      })
      .catch((error: unknown) => {
        if (error instanceof RunStopError) hooks.onStop(error);
        else if (!(error instanceof RowCancelledError)) writeFailure ??= error;
      })
      .finally(() => {
        release();
        inFlight.delete(task);
      });
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  // A results file that cannot be written is not a row's problem: the run cannot go on.
  if (writeFailure) throw writeFailure;
}

function dryRunReport(report: PreflightReport, prompt: JudgePrompt, model: string, responseFormat: unknown): DryRunReport {
  const completion = report.rows * prompt.settings.max_tokens;
  return {
    rows: report.rows,
    model,
    firstRequest: {
      model,
      messages: report.firstMessages ?? [],
      temperature: prompt.settings.temperature,
      max_completion_tokens: prompt.settings.max_tokens,
      response_format: responseFormat,
    },
    estimatedTokens: { prompt: report.estimatedPromptTokens, completion },
    estimatedCostUsd: estimateCostUsd(model, {
      prompt_tokens: report.estimatedPromptTokens,
      completion_tokens: completion,
      cached_tokens: 0,
    }),
  };
}
