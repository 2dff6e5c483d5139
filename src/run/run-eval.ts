import { UsageError } from '../errors.js';
import type { JsonSchemaResponseFormat } from '../judge/json-schema.js';
import { toResponseFormat } from '../judge/json-schema.js';
import type { AnswerSpec } from '../judge/answer-spec.js';
import { answerSpecFor } from '../judge/modes/index.js';
import { refuseLogprobsModel } from '../judge/logprob-models.js';
import { loadPrompt, type JudgePrompt } from '../prompt/load.js';
import { planParams, type PlannedParams } from '../dialect/params.js';
import type { WriteBytes } from '../results/write-error.js';
import type { Summary } from '../stats/summary.js';
import { modelPrice, type ModelPrice } from '../pricing/prices.js';
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
  await (await import('../stats/run-baseline.js')).checkRunBaseline(options);
  if (options.dryRun) {
    const prepared = await prepareRun(options, deps, prompt);
    if (prepared.kind === 'interrupted') return prepared;
    return { kind: 'dry-run', report: dryRunReport(prepared.report, prompt, prepared.model, prepared.responseFormat, prepared.params, options) };
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

/** What a run and a dry run share: the dataset checked, the model, the answer's schema, the request's parameters. */
export interface PreparedRun {
  kind: 'prepared';
  prompt: JudgePrompt;
  dataset: Dataset;
  report: PreflightReport;
  idField: IdFieldChoice;
  model: string;
  spec: AnswerSpec;
  responseFormat: JsonSchemaResponseFormat;
  logprobs: boolean;
  params: PlannedParams;
  price: ModelPrice | undefined;
}

async function prepareRun(options: RunOptions, deps: RunDependencies, prompt: JudgePrompt): Promise<PreparedRun | { kind: 'interrupted'; message: string }> {
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
  return { kind: 'prepared', prompt, dataset, report, idField, model, spec, responseFormat, logprobs, params, price };
}
