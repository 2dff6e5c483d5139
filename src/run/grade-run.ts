import { manifestPath, writeManifest } from '../results/manifest.js';
import { openSinks } from '../results/open-sinks.js';
import { ResultsWriteError, writeErrorOf } from '../results/write-error.js';
import { decideExitCode } from '../stats/gates.js';
import { CostBudget } from '../scheduler/cost-budget.js';
import { SummaryAccumulator } from '../stats/summary.js';
import { pairPathsFromManifest } from '../stats/pair-texts.js';
import { shardShare } from '../scheduler/shard-share.js';
import type { RunOptions } from '../config.js';
import { createRunSignals } from './cancellation.js';
import { planResume } from './resume-plan.js';
import { judgeKeys } from './panel-plan.js';
import type { OpenJudge } from './judge-contexts.js';
import type { RowGrader } from './dispatch.js';
import type { PreparedRun, RunDependencies, RunResult } from './run-eval.js';

/**
 * The run itself, after the pre-flight: resumes or starts the results files, sends every row through
 * the gate and writes each record as it completes, then sums up. Loaded only by a run that sends.
 */
export async function gradeRun(prepared: PreparedRun, options: RunOptions, deps: RunDependencies, started: number): Promise<RunResult> {
  const { prompt, dataset, report, idField, model, logprobs, params, plan } = prepared;
  const now = deps.now ?? (() => performance.now());
  const emit = deps.onEvent ?? (() => {});
  if (options.repeat > 1 && params.temperature === 0) {
    emit({ type: 'note', message: `--repeat ${options.repeat} at temperature 0: the samples will mostly agree; set temperature in the prompt to measure how stable the judge is` });
  }
  // Every judge's key is found before anything is opened or sent; an unset variable stops here.
  const keys = judgeKeys(plan.judges, deps.apiKey, deps.keyIn);
  const continueMode = options.retryErrors ? 'retry-errors' : options.resume ? 'resume' : 'fresh';
  const resume = await planResume(
    continueMode,
    options.out,
    { prompt, model, dataset, idField: idField.name, shard: options.shard, repeat: options.repeat, fields: options.fields, params, aggregate: plan.aggregate },
    options.force,
  );
  // A fresh run grades every row the pre-flight counted; a continued one counts what is left. The
  // ids are let go here: a run does not hold them while it grades.
  const toGrade = continueMode === 'fresh' ? report.rows : countRowsToGrade(report.ids, resume.skip);
  report.ids.clear();
  // The longer-answer bias reads the pair's answers from each record's row, through any --field
  // alias: as the manifest records them, and as a batch run's collect and verdict stats read them.
  const accumulator = new SummaryAccumulator(options.price ? { model, price: options.price } : undefined, pairPathsFromManifest(resume.manifest));
  // A continued run's summary covers the whole results file, not only the rows graded now.
  const alreadyGraded = resume.continued[0] ? await seedSummary(resume.continued[0], accumulator, resume.skip) : 0;
  const sink = await openSinks(options.out, { force: options.force, rowColumns: report.rowColumns, append: continueMode !== 'fresh', writeBytes: deps.writeBytes });
  await writeManifest(manifestPath(options.out[0]!), resume.manifest);

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
  const budgetPrice = plan.judges[0]!.price;
  const budget = options.maxCost !== undefined && budgetPrice ? new CostBudget(options.maxCost, budgetPrice) : undefined;
  let budgetStop: string | undefined;
  const [{ openJudges }, { dispatch }] = await Promise.all([import('./judge-contexts.js'), import('./dispatch.js')]);
  // Each judge has its own client, gate, dialect and cache; the row semaphore in dispatch stays the
  // outer bound on rows in flight.
  const { judges, closeCache } = await openJudges(plan.judges, keys, {
    options,
    prepared,
    deps,
    emit,
    redact,
    signal,
    now,
    share: shardShare(options.shard, { rows: report.rows, allRows: report.allRows, limited: options.limit !== undefined }),
    counters,
    budget,
    onBudgetExhausted: (error) => {
      if (budgetStop) return;
      budgetStop = `stopped before the --max-cost budget of $${options.maxCost} ran out: ${error.message}`;
      emit({ type: 'stopping', reason: 'budget', message: budgetStop });
      signals.stopDispatching(error);
    },
  });
  const grade = await rowGrader(judges, prepared);
  const adaptations = () => judges.flatMap(({ judge, dialect }) => dialect.adaptations.map((a) => (judges.length > 1 ? `${judge.name}: ${a}` : a)));
  const judgeNotes = judges.flatMap(({ judge }) => judge.params.notes.map((n) => (judges.length > 1 ? `judge ${judge.name}: ${n.message}` : n.message)));

  for (const note of [...resume.notes, ...judgeNotes]) emit({ type: 'note', message: note });
  emit({ type: 'start', rows: toGrade, alreadyGraded, model, prompt: prompt.name, concurrency: options.concurrency });
  emit({ type: 'limits', ...judges[0]!.gate.state() });
  try {
    const dispatchOptions = { concurrency: options.concurrency, limit: options.limit, idField, shard: options.shard, repeat: options.repeat };
    await dispatch(dataset, prompt, dispatchOptions, grade, {
      sink,
      signal: signals.dispatch,
      skip: resume.skip,
      redact,
      onRetry: (rowId, notice) => {
        counters.retries++;
        emit({ type: 'retry', rowId, notice });
      },
      onRecord: (record) => {
        accumulator.add(record);
        emit({ type: 'row', record });
      },
      onUnrecordedUsage: (usage, spentBy = model) => accumulator.addUsage(spentBy, usage),
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
    // The cache's pack and the packs it read are closed here, not at exit: the process may go on to another run.
    closeCache();
    // What was written stays; a close that fails after a write failure has nothing new to say.
    await sink.close().catch((error: unknown) => {
      if (!(error instanceof ResultsWriteError)) throw error;
      if (stop?.code !== WRITE_FAILED) stop = { code: WRITE_FAILED, message: redact(error.message), hint: WRITE_FAILED_HINT };
    });
  }
  // The manifest keeps what the server taught the run, for whoever reads the results later.
  if (adaptations().length > 0) await writeManifest(manifestPath(options.out[0]!), { ...resume.manifest, adaptations: adaptations() });

  const interrupted = deps.signal?.aborted === true && !stop;
  const summary = accumulator.finish({
    status: stop || budgetStop ? 'failed' : interrupted ? 'cancelled' : 'complete',
    rows: report.rows,
    requests: counters.requests,
    retries: counters.retries,
    rateLimited: counters.rateLimited,
    // The judges wait side by side: the run waited as long as the judge that waited longest.
    waitMs: Math.max(...judges.map((j) => j.gate.waitedMs())),
    wallMs: now() - started,
    model,
    prompt: prompt.name,
    ...(stop ? { stop: { code: stop.code, message: stop.message } } : {}),
    adaptations: adaptations(),
    cacheOn: judges.some((j) => j.cached),
    ...(plan.aggregate ? { aggregate: plan.aggregate } : {}),
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

/** How a row is graded: by the one judge's gradeRow, or by every judge of the panel. */
async function rowGrader(judges: OpenJudge[], prepared: PreparedRun): Promise<RowGrader> {
  const { gradeRow } = await import('../judge/grade-row.js');
  const { plan, prompt, spec } = prepared;
  if (judges.length === 1 || plan.aggregate === undefined) return (job, onRetry) => gradeRow(job, { ...judges[0]!.ctx, onRetry });
  const { gradePanelRow } = await import('../judge/grade-panel-row.js');
  const panel = {
    judges: judges.map(({ judge, ctx }) => ({ name: judge.name, ctx })),
    judge: { ...judges[0]!.ctx.judge, model: plan.model },
    aggregate: plan.aggregate,
    rules: { mode: prompt.settings.mode, spec, pass: prompt.settings.pass, criteria: prompt.settings.criteria },
  };
  return (job, onRetry) => gradePanelRow(job, panel, onRetry);
}
