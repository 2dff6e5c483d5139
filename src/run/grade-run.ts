import type { GradeContext } from '../judge/grade-row.js';
import { RequestDialect } from '../dialect/params.js';
import { manifestPath, writeManifest } from '../results/manifest.js';
import { openSinks } from '../results/open-sinks.js';
import { ResultsWriteError, writeErrorOf } from '../results/write-error.js';
import { decideExitCode } from '../stats/gates.js';
import { CostBudget } from '../scheduler/cost-budget.js';
import { SummaryAccumulator } from '../stats/summary.js';
import { DEFAULT_BACKOFF } from '../scheduler/backoff.js';
import { RequestGate } from '../scheduler/request-gate.js';
import { shardShare } from '../scheduler/shard-share.js';
import { requireApiKey, type RunOptions } from '../config.js';
import { createRunSignals } from './cancellation.js';
import { planResume } from './resume-plan.js';
import type { PreparedRun, RunDependencies, RunResult } from './run-eval.js';

/**
 * The run itself, after the pre-flight: resumes or starts the results files, sends every row through
 * the gate and writes each record as it completes, then sums up. Loaded only by a run that sends.
 */
export async function gradeRun(prepared: PreparedRun, options: RunOptions, deps: RunDependencies, started: number): Promise<RunResult> {
  const { prompt, dataset, report, idField, model, spec, responseFormat, logprobs, params, price } = prepared;
  const now = deps.now ?? (() => performance.now());
  const emit = deps.onEvent ?? (() => {});
  if (options.repeat > 1 && params.temperature === 0) {
    emit({ type: 'note', message: `--repeat ${options.repeat} at temperature 0: the samples will mostly agree; set temperature in the prompt to measure how stable the judge is` });
  }
  requireApiKey(deps.apiKey);
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
  // The longer-answer bias reads the pair's answers from each record's row, through any --field alias.
  const pairPaths = { a: options.fields?.[prompt.settings.pair.a] ?? prompt.settings.pair.a, b: options.fields?.[prompt.settings.pair.b] ?? prompt.settings.pair.b };
  const accumulator = new SummaryAccumulator(options.price ? { model, price: options.price } : undefined, pairPaths);
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
  const client = createJudgeClient({ apiKey: deps.apiKey, baseURL: options.baseUrl, timeoutMs: options.timeout, onSent: () => counters.requests++ });
  const cache = await openResponseCache(options, client.baseURL, (message) => emit({ type: 'note', message }));
  const ctx: GradeContext = {
    budget,
    onBudgetExhausted: (error) => {
      if (budgetStop) return;
      budgetStop = `stopped before the --max-cost budget of $${options.maxCost} ran out: ${error.message}`;
      emit({ type: 'stopping', reason: 'budget', message: budgetStop });
      signals.stopDispatching(error);
    },
    // `requests` counts what reached the server, not requests the gate let through that a stop cancelled.
    client,
    ...(cache ? { cache } : {}),
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
        signals.abandonRequests(error);
      },
      // A results file that cannot be written stops the run as Ctrl-C would, and the requests in
      // flight are abandoned: nothing they answer could be kept.
      onWriteFailure: (error) => {
        // Said over an earlier API stop: the file is what the user must fix before continuing.
        if (stop?.code === WRITE_FAILED) return;
        stop = { code: WRITE_FAILED, message: redact(writeErrorOf(sink.path, error).message), hint: WRITE_FAILED_HINT };
        emit({ type: 'stopping', reason: 'fatal', message: stop.message });
        signals.abandonRequests(error);
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
    cacheOn: cache !== undefined,
  });
  const baselineFile = options.baseline;
  const baseline = baselineFile === undefined || interrupted ? undefined : await (await import('../stats/run-baseline.js')).compareRunWithBaseline({ ...options, baseline: baselineFile });
  const decision = decideExitCode(
    summary,
    { failUnder: options.failUnder, minPassRate: options.minPassRate, maxErrorRate: options.maxErrorRate, onInterval: options.gateOnInterval, baseline },
    stop?.code === WRITE_FAILED ? 'the run stopped because a results file could not be written' : stop !== undefined || (budgetStop ?? false),
    interrupted,
  );
  return { kind: 'run', summary, exitCode: decision.code, reasons: decision.reasons, stop, outputs: options.out, ...(baseline ? { baseline } : {}) };
}

const WRITE_FAILED = 'write_failed';
const WRITE_FAILED_HINT = 'what was written is kept: free some space (or make the file writable), then continue with the command below';

/** Reasoning models answer a request for logprobs with 403; say so beside the server's message. */
const LOGPROBS_REFUSED_HINT = 'scoring: logprobs asks for token logprobs, which some models (reasoning models among them) refuse';

/** Adds the graded records of a continued results file to the summary; returns how many. */
async function seedSummary(path: string, accumulator: SummaryAccumulator, skip: (id: string) => boolean): Promise<number> {
  const { readResults } = await import('../results/read-results.js');
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

/** The run's response cache: on unless --no-cache, when there is a directory for it (--cache-dir, else the user's cache home). */
async function openResponseCache(options: RunOptions, baseUrl: string, onNote: (message: string) => void) {
  const { cachePolicyOf } = await import('../cache/policy.js');
  const policy = cachePolicyOf(options.cache);
  if (policy === 'off' || options.cacheDir === undefined) return undefined;
  const { ResponseCache } = await import('../cache/response-cache.js');
  return new ResponseCache({ dir: options.cacheDir, baseUrl, policy, onWriteFailure: onNote });
}
