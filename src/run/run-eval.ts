import { UsageError } from '../errors.js';
import type { GradeContext } from '../judge/grade-row.js';
import { toResponseFormat } from '../judge/json-schema.js';
import { answerSpecFor } from '../judge/modes/index.js';
import { refuseLogprobsModel } from '../judge/logprob-models.js';
import { loadPrompt, type JudgePrompt } from '../prompt/load.js';
import { planParams, RequestDialect } from '../dialect/params.js';
import { manifestPath, writeManifest } from '../results/manifest.js';
import { lockFiles } from '../results/lock.js';
import { openSinks } from '../results/open-sinks.js';
import { ResultsWriteError, writeErrorOf, type WriteBytes } from '../results/write-error.js';
import { readResults } from '../results/read-results.js';
import { decideExitCode, type BaselineGate } from '../report/gates.js';
import { modelPrice } from '../report/prices.js';
import { CostBudget } from '../scheduler/cost-budget.js';
import { SummaryAccumulator, type Summary } from '../report/summary.js';
import { DEFAULT_BACKOFF, type BackoffOptions } from '../scheduler/backoff.js';
import { RequestGate } from '../scheduler/request-gate.js';
import { shardShare } from '../scheduler/shard-share.js';
import type { RunOptions } from '../config.js';
import { createRunSignals } from './cancellation.js';
import type { RunEvent } from './events.js';
import { planResume } from './resume-plan.js';
import { dryRunReport, type DryRunReport } from './dry-run-report.js';
import { readDataset } from './read-dataset.js';
import { checkRunOutputs } from './run-outputs.js';

export type { DryRunReport } from './dry-run-report.js';

/** What a run needs besides its options; injected so tests and the CLI can each supply theirs. */
export interface RunDependencies {
  apiKey?: string;
  /** First Ctrl-C: stop dispatching; requests in flight get `graceMs` to finish. */
  signal?: AbortSignal;
  /** Second Ctrl-C: abort the requests in flight now. */
  abortNow?: AbortSignal;
  /** How long requests in flight may finish after the first interrupt (default 5 s). */
  graceMs?: number;
  onEvent?: (event: RunEvent) => void;
  stdin?: NodeJS.ReadableStream;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  backoff?: Partial<BackoffOptions>;
  /** Scrubs secrets (the API key, if a server echoes it) from text that reaches records or output. */
  redact?: (text: string) => string;
  /** Writes bytes to the results files: node's, unless a test injects a failing disk. */
  writeBytes?: WriteBytes;
}

/** The outcome of `verdict run`, for the CLI to print and exit with. */
export type RunResult =
  | { kind: 'dry-run'; report: DryRunReport }
  /** Ctrl-C (or SIGTERM, SIGHUP) while the dataset was still being read: nothing was sent or written. */
  | { kind: 'interrupted'; message: string }
  | {
      kind: 'run';
      summary: Summary;
      exitCode: 0 | 1 | 2 | 3 | 130;
      reasons: string[];
      stop?: { code: string; message: string; hint: string };
      outputs: string[];
      /** The comparison with --baseline, and its gate. */
      baseline?: BaselineGate;
    };

/**
 * Grades a dataset with a judge prompt. Bad input throws (InputError, UsageError) before anything
 * is sent; afterwards every graded row is written as it completes, and a failure that ends the run
 * early keeps them. Never prints and never exits: progress goes to `onEvent`.
 */
export async function runEval(options: RunOptions, deps: RunDependencies = {}): Promise<RunResult> {
  const started = (deps.now ?? (() => performance.now()))();
  const prompt = await loadPrompt(options.prompt, { pair: options.pair, fields: options.fields });
  // Every output is checked before anything is read further, locked, compacted or sent.
  await checkRunOutputs(options, prompt.file);
  await (await import('../report/baseline-gate.js')).checkRunBaseline(options);
  if (options.dryRun) return gradeRun(options, deps, prompt, started);
  // Held for the run's whole life, so a second run on these files stops here, before any request.
  const locks = await lockFiles(options.out, { command: 'verdict run', onNote: (message) => deps.onEvent?.({ type: 'note', message }) });
  try {
    return await gradeRun(options, deps, prompt, started);
  } finally {
    await locks.release();
  }
}

async function gradeRun(options: RunOptions, deps: RunDependencies, prompt: JudgePrompt, started: number): Promise<RunResult> {
  const now = deps.now ?? (() => performance.now());
  const idField = { name: options.idField ?? 'id', explicit: options.idField !== undefined };
  const read = await readDataset(options, deps, prompt, idField);
  if (read.kind === 'interrupted') return read;
  const { dataset, report } = read;
  const model = options.model ?? prompt.settings.model ?? 'gpt-4o-mini';
  const spec = answerSpecFor(prompt);
  const responseFormat = toResponseFormat(spec.schemaName, spec.schema);
  const logprobs = prompt.settings.scoring === 'logprobs';
  if (logprobs) refuseLogprobsModel(model, prompt.file);
  const params = planParams({
    model,
    temperature: prompt.settings.temperature,
    reasoningEffort: options.reasoningEffort ?? prompt.settings.reasoning_effort,
    answerTokens: prompt.settings.max_tokens,
  });

  const price = options.price ?? modelPrice(model);
  if (options.maxCost !== undefined && price === undefined) {
    throw new UsageError(`--max-cost needs a price for ${model}, and verdict's table has none`, 'give it with --price input/output, in USD per million tokens');
  }
  if (options.dryRun) return { kind: 'dry-run', report: dryRunReport(report, prompt, model, responseFormat, params, options) };
  const emit = deps.onEvent ?? (() => {});
  if (options.repeat > 1 && params.temperature === 0) {
    emit({ type: 'note', message: `--repeat ${options.repeat} at temperature 0: the samples will mostly agree; set temperature in the prompt to measure how stable the judge is` });
  }
  if (!deps.apiKey) {
    throw new UsageError('OPENAI_API_KEY is not set', 'set it in the environment or in a .env file in this directory');
  }
  const continueMode = options.retryErrors ? 'retry-errors' : options.resume ? 'resume' : 'fresh';
  const plan = await planResume(
    continueMode,
    options.out,
    { prompt, model, dataset, idField: idField.name, shard: options.shard, repeat: options.repeat, fields: options.fields, params },
    options.force,
  );
  // A fresh run grades every row the pre-flight counted; a continued one counts what is left. The
  // ids are let go here: a run does not hold them while it grades.
  const toGrade = continueMode === 'fresh' ? report.rows : countRowsToGrade(report.ids, plan.skip);
  report.ids.clear();
  const accumulator = new SummaryAccumulator(options.price ? { model, price: options.price } : undefined);
  // A continued run's summary covers the whole results file, not only the rows graded now.
  const alreadyGraded = plan.continued[0] ? await seedSummary(plan.continued[0], accumulator, plan.skip) : 0;
  const sink = await openSinks(options.out, { force: options.force, rowColumns: report.rowColumns, append: continueMode !== 'fresh', writeBytes: deps.writeBytes });
  await writeManifest(manifestPath(options.out[0]!), plan.manifest);

  const redact = deps.redact ?? ((text: string) => text);
  const signals = createRunSignals({
    interrupt: deps.signal,
    abortNow: deps.abortNow,
    graceMs: deps.graceMs ?? 5_000,
    onInterrupt: () => emit({ type: 'stopping', reason: 'cancelled', message: 'interrupted: letting requests in flight finish' }),
  });
  const signal = signals.requests;
  const counters = { requests: 0, retries: 0, rateLimited: 0 };
  let stop: { code: string; message: string; hint: string } | undefined;
  // Every request of the run passes this gate: the rate budget, the 429 cooldown, the adaptive
  // concurrency. The row semaphore in dispatch stays the outer bound on rows in flight.
  const gate = new RequestGate({
    maxConcurrency: options.concurrency,
    rpm: options.rpm,
    tpm: options.tpm,
    // Shards started together share one key: each paces to its part of the learned limits.
    share: shardShare(options.shard, { rows: report.rows, allRows: report.allRows, limited: options.limit !== undefined }),
    now,
    ...(deps.sleep ? { sleep: deps.sleep } : {}),
    onWait: (wait) => emit({ type: 'waiting', reason: wait.reason, ms: wait.ms, ...(wait.why ? { why: redact(wait.why) } : {}) }),
    onChange: (state) => emit({ type: 'limits', ...state }),
  });

  // The SDK is loaded only here, where requests are sent: a dry run never pays for it.
  const [{ createJudgeClient }, { dispatch }] = await Promise.all([import('../judge/client.js'), import('./dispatch.js')]);
  const budget = options.maxCost !== undefined && price ? new CostBudget(options.maxCost, price) : undefined;
  // Said once each: a parameter dropped or renamed for this server, a larger budget for reasoning.
  const dialect = new RequestDialect(params, (adaptation) => emit({ type: 'note', message: adaptation.message }));
  let budgetStop: string | undefined;
  const ctx: GradeContext = {
    budget,
    onBudgetExhausted: (error) => {
      if (budgetStop) return;
      budgetStop = `stopped before the --max-cost budget of $${options.maxCost} ran out: ${error.message}`;
      emit({ type: 'stopping', reason: 'budget', message: budgetStop });
      signals.halt(error);
    },
    // `requests` counts what reached the server, not requests the gate let through that a stop cancelled.
    client: createJudgeClient({ apiKey: deps.apiKey, baseURL: options.baseUrl, timeoutMs: options.timeout, onSent: () => counters.requests++ }),
    spec,
    responseFormat,
    ...(logprobs ? { logprobs: { scale: prompt.settings.scale, pass: prompt.settings.pass, criteria: prompt.settings.criteria } } : {}),
    judge: { model, prompt: prompt.name, prompt_sha: prompt.sha, ...(params.reasoningEffort ? { reasoning_effort: params.reasoningEffort } : {}) },
    dialect,
    timeoutMs: options.timeout,
    maxRetries: options.maxRetries,
    backoff: { ...DEFAULT_BACKOFF, random: Math.random, ...deps.backoff },
    structured: { enabled: true },
    signal,
    now,
    sleep: deps.sleep,
    gate,
    onRequest: ({ tokens }) => {
      emit({ type: 'request', tokens });
    },
    onStructuredOutputsOff: () => emit({ type: 'structured-outputs-off' }),
    onRateLimited: () => {
      counters.rateLimited++;
      emit({ type: 'rate-limited' });
    },
  };

  for (const note of [...plan.notes, ...params.notes.map((n) => n.message)]) emit({ type: 'note', message: note });
  emit({ type: 'start', rows: toGrade, alreadyGraded, model, prompt: prompt.name, concurrency: options.concurrency });
  emit({ type: 'limits', ...gate.state() });
  try {
    const dispatchOptions = { concurrency: options.concurrency, limit: options.limit, idField, shard: options.shard, repeat: options.repeat };
    await dispatch(dataset, prompt, dispatchOptions, ctx, {
      sink,
      signal: signals.dispatch,
      skip: plan.skip,
      redact,
      onRetry: (rowId, notice) => {
        counters.retries++;
        emit({ type: 'retry', rowId, notice });
      },
      onRecord: (record) => {
        accumulator.add(record);
        emit({ type: 'row', record });
      },
      onUnrecordedUsage: (usage) => accumulator.addUsage(model, usage),
      onStop: (error) => {
        if (stop) return;
        const hint = logprobs && error.code === 'permission_denied' ? `${error.hint}; ${LOGPROBS_REFUSED_HINT}` : error.hint;
        stop = { code: error.code, message: redact(error.message), hint };
        emit({ type: 'stopping', reason: 'fatal', message: stop.message });
        signals.stop(error);
      },
      // A results file that cannot be written stops the run as Ctrl-C would, and the requests in
      // flight are abandoned: nothing they answer could be kept.
      onWriteFailure: (error) => {
        // Said over an earlier API stop: the file is what the user must fix before continuing.
        if (stop?.code === WRITE_FAILED) return;
        stop = { code: WRITE_FAILED, message: redact(writeErrorOf(sink.path, error).message), hint: WRITE_FAILED_HINT };
        emit({ type: 'stopping', reason: 'fatal', message: stop.message });
        signals.stop(error);
      },
    });
  } catch (error) {
    if (!(error instanceof ResultsWriteError)) throw error;
  } finally {
    signals.dispose();
    // What was written stays; a close that fails after a write failure has nothing new to say.
    await sink.close().catch((error: unknown) => {
      if (!(error instanceof ResultsWriteError)) throw error;
      if (stop?.code !== WRITE_FAILED) stop = { code: WRITE_FAILED, message: redact(error.message), hint: WRITE_FAILED_HINT };
    });
  }
  // The manifest keeps what the server taught the run, for whoever reads the results later.
  if (dialect.adaptations.length > 0) await writeManifest(manifestPath(options.out[0]!), { ...plan.manifest, adaptations: dialect.adaptations });

  const interrupted = deps.signal?.aborted === true && !stop;
  const summary = accumulator.finish({
    status: stop || budgetStop ? 'failed' : interrupted ? 'cancelled' : 'complete',
    rows: report.rows,
    requests: counters.requests,
    retries: counters.retries,
    rateLimited: counters.rateLimited,
    waitMs: gate.waitedMs(),
    wallMs: now() - started,
    model,
    prompt: prompt.name,
    ...(stop ? { stop: { code: stop.code, message: stop.message } } : {}),
    adaptations: dialect.adaptations,
  });
  const baselineFile = options.baseline;
  const baseline = baselineFile === undefined || interrupted ? undefined : await (await import('../report/baseline-gate.js')).compareRunWithBaseline({ ...options, baseline: baselineFile });
  const verdict = decideExitCode(
    summary,
    { failUnder: options.failUnder, minPassRate: options.minPassRate, maxErrorRate: options.maxErrorRate, onInterval: options.gateOnInterval, baseline },
    stop?.code === WRITE_FAILED ? 'the run stopped because a results file could not be written' : stop !== undefined || (budgetStop ?? false),
    interrupted,
  );
  return { kind: 'run', summary, exitCode: verdict.code, reasons: verdict.reasons, stop, outputs: options.out, ...(baseline ? { baseline } : {}) };
}

const WRITE_FAILED = 'write_failed';
const WRITE_FAILED_HINT = 'what was written is kept: free some space (or make the file writable), then continue with the command below';

/** Reasoning models answer a request for logprobs with 403; say so beside the server's message. */
const LOGPROBS_REFUSED_HINT = 'scoring: logprobs asks for token logprobs, which some models (reasoning models among them) refuse';

/** Adds the graded records of a continued results file to the summary; returns how many. */
async function seedSummary(path: string, accumulator: SummaryAccumulator, skip: (id: string) => boolean): Promise<number> {
  let count = 0;
  for await (const record of readResults(path)) {
    // Under --retry-errors the skipped rows are the graded ones; either way only graded records count.
    if (record.error === null && skip(record.id)) {
      accumulator.add(record);
      count++;
    }
  }
  return count;
}

function countRowsToGrade(ids: Iterable<string>, skip: (id: string) => boolean): number {
  let count = 0;
  for (const id of ids) if (!skip(id)) count++;
  return count;
}
