import { UsageError } from '../errors.js';
import type { JsonSchemaResponseFormat } from '../judge/json-schema.js';
import { toResponseFormat } from '../judge/json-schema.js';
import type { AnswerSpec } from '../judge/answer-spec.js';
import { answerSpecFor } from '../judge/modes/index.js';
import { loadPrompt, type JudgePrompt } from '../prompt/load.js';
import type { PlannedParams } from '../dialect/params.js';
import type { WriteBytes } from '../results/write-error.js';
import type { Summary } from '../stats/summary.js';
import type { ModelPrice } from '../pricing/prices.js';
import type { BaselineGate } from '../stats/gates.js';
import type { BackoffOptions } from '../scheduler/backoff.js';
import type { RunOptions } from '../config.js';
import type { IdFieldChoice } from '../dataset/row-id.js';
import type { Dataset } from '../dataset/types.js';
import type { RunEvent } from './events.js';
import { dryRunReport, type DryRunReport } from './dry-run-report.js';
import type { PreflightReport } from './preflight.js';
import { readDataset } from './read-dataset.js';
import { checkRunOutputs } from './run-outputs.js';
import { judgeKey, planJudges, type JudgePlan, type PlannedJudge } from './panel-plan.js';

export type { DryRunReport } from './dry-run-report.js';

/** What a run needs besides its options; injected so tests and the CLI can each supply theirs. */
export interface RunDependencies {
  apiKey?: string;
  /** A panel judge's key by the name of its variable (`--judge …,key=NAME`): the environment's or .env's. */
  keyIn?: (variable: string) => string | undefined;
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
  await (await import('../stats/run-baseline.js')).checkRunBaseline(options);
  if (options.dryRun) {
    const prepared = await prepareRun(options, deps, prompt);
    if (prepared.kind === 'interrupted') return prepared;
    const hasKey = (judge: PlannedJudge) => judgeKey(judge, deps.apiKey, deps.keyIn) !== undefined;
    return { kind: 'dry-run', report: dryRunReport(prepared.report, prompt, prepared.plan, prepared.responseFormat, options, hasKey) };
  }
  // What only a real run needs (locks, sinks, the summary, the gate) loads here: a dry run never pays for it.
  const [{ lockFiles }, { gradeRun }] = await Promise.all([import('../results/lock.js'), import('./grade-run.js')]);
  // Held for the run's whole life, so a second run on these files stops here, before any request.
  const locks = await lockFiles(options.out, { command: 'verdict run', onNote: (message) => deps.onEvent?.({ type: 'note', message }) });
  try {
    const prepared = await prepareRun(options, deps, prompt);
    if (prepared.kind === 'interrupted') return prepared;
    return await gradeRun(prepared, options, deps, started);
  } finally {
    await locks.release();
  }
}

/** What a run and a dry run share: the dataset checked, the judges, the answer's schema, the request's parameters. */
export interface PreparedRun {
  kind: 'prepared';
  prompt: JudgePrompt;
  dataset: Dataset;
  report: PreflightReport;
  idField: IdFieldChoice;
  /** The records' judge.model: the judge's model, or a panel's judge names joined by ','. */
  model: string;
  /** Who judges: one judge, or a panel and how its votes are folded. */
  plan: JudgePlan;
  spec: AnswerSpec;
  responseFormat: JsonSchemaResponseFormat;
  logprobs: boolean;
  /** What the (first) judge is sent: the manifest's temperature and reasoning effort. */
  params: PlannedParams;
  /** The one judge's price; undefined for a panel, whose judges each have theirs. */
  price: ModelPrice | undefined;
}

async function prepareRun(options: RunOptions, deps: RunDependencies, prompt: JudgePrompt): Promise<PreparedRun | { kind: 'interrupted'; message: string }> {
  // Flags that contradict each other are refused before the dataset is read.
  const plan = planJudges(options, prompt);
  const idField = { name: options.idField ?? 'id', explicit: options.idField !== undefined };
  const read = await readDataset(options, deps, prompt, idField);
  if (read.kind === 'interrupted') return read;
  const { dataset, report } = read;
  const spec = answerSpecFor(prompt);
  const responseFormat = toResponseFormat(spec.schemaName, spec.schema);
  const logprobs = prompt.settings.scoring === 'logprobs';
  const first = plan.judges[0]!;
  const price = plan.judges.length === 1 ? first.price : undefined;
  return { kind: 'prepared', prompt, dataset, report, idField, model: plan.model, plan, spec, responseFormat, logprobs, params: first.params, price };
}
