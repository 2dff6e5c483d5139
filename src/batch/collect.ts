import { rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { ShardSpec } from '../dataset/shard.js';
import { UsageError } from '../errors.js';
import { decideExitCode, type Gates } from '../stats/gates.js';
import { modelPrice, type ModelPrice } from '../pricing/prices.js';
import { SummaryAccumulator, type RunStatus, type Summary } from '../stats/summary.js';
import { pairPathsFromManifest } from '../stats/pair-texts.js';
import { manifestDifferences, manifestPath, writeManifest } from '../results/manifest.js';
import { lockFiles } from '../results/lock.js';
import { openSinks } from '../results/open-sinks.js';
import { checkOutputs, type CommandOutput } from '../results/output-paths.js';
import { readResults } from '../results/read-results.js';
import { prepareResume } from '../results/resume.js';
import { batchCallFailure } from './batch-errors.js';
import { batchPrice } from './discount.js';
import type { ReasoningEffort } from '../dialect/model-families.js';
import { loadBatchInputs, manifestOf, runRows, type BatchInputs, type BatchSource } from './inputs.js';
import { batchRecord, readOutputLine, type LineOutcome } from './read-output.js';
import type { BatchDependencies } from './submit.js';
import { isFinished, writeBatchState, type BatchPart, type BatchState } from './state.js';
import { splitLines } from '../text/lines.js';

/** How collected results are judged and priced. */
export interface CollectOptions {
  gates: Gates;
  /** `--price` at collect; else the one given at submit; else the table. The batch discount applies to each. */
  price?: ModelPrice;
  /** Write the results of a state that was collected before, again. */
  force?: boolean;
  /** Scrubs secrets from error messages before they are written or printed. */
  redact?: (text: string) => string;
  /** Most answers held in memory at once: batches are read in groups of about this many requests. */
  maxAnswersInMemory?: number;
  /** `--summary`: checked here, before anything is downloaded or written, by the rule of `verdict run`. */
  summary?: string;
}

/** The outcome of a collect, for the CLI to print and exit with (the shape `verdict run` returns). */
export interface CollectResult {
  summary: Summary;
  exitCode: 0 | 1 | 2 | 3 | 130;
  reasons: string[];
  outputs: string[];
  /** Rows sent whose batch ended without answering them (failed, expired, cancelled): no record was written. */
  unanswered: number;
}

/**
 * Downloads every batch's output and error files and writes one record per answered row, built as
 * the synchronous path builds it, then the summary at the batch price and the exit code. Refuses
 * (UsageError) while a batch is unfinished, or when the prompt or dataset changed since submit.
 */
export async function collectBatches(state: BatchState, statePath: string, options: CollectOptions, deps: BatchDependencies): Promise<CollectResult> {
  if (state.collected_at !== null && !options.force) {
    throw new UsageError(`the batches of ${state.outputs[0]} were collected already, at ${state.collected_at}`, 'pass --force to write their results again');
  }
  const waiting = state.parts.filter((part) => !isFinished(part));
  if (waiting.length > 0) {
    const which = waiting.map((part) => `${part.index} (${part.status ?? 'not created'})`).join(', ');
    throw new UsageError(`${waiting.length} of ${state.parts.length} batches are not finished yet: ${which}`, 'check with "verdict batch status", or wait with "verdict batch collect --wait"');
  }
  await checkCollectOutputs(state, options);
  // Held while the results files are compacted and written: a run on them would interleave records.
  const locks = await lockFiles(state.outputs, { command: 'verdict batch collect', onNote: (message) => deps.onEvent?.({ type: 'note', message }) });
  try {
    return await collectInto(state, statePath, options, deps);
  } finally {
    await locks.release();
  }
}

/** The results files were checked at submit; the dataset or prompt may not have become one since, nor the summary. */
async function checkCollectOutputs(state: BatchState, options: CollectOptions): Promise<void> {
  const continued = state.continue_mode !== 'fresh';
  const outputs: CommandOutput[] = state.outputs.map((path) => ({ path, role: 'results file', existing: 'overwrite' }));
  if (options.summary !== undefined) {
    const existing = options.force ? 'overwrite' : continued ? 'replace-summary' : 'refuse';
    outputs.push({ path: options.summary, role: 'summary', existing, hint: 'write the summary somewhere else, or pass --force to replace it' });
  }
  const inputs = [
    { path: state.dataset_file, role: 'the dataset' },
    { path: state.prompt_file, role: 'the judge prompt' },
  ];
  await checkOutputs(inputs, outputs);
}

async function collectInto(state: BatchState, statePath: string, options: CollectOptions, deps: BatchDependencies): Promise<CollectResult> {
  const started = Date.parse(state.submitted_at);
  const inputs = await loadBatchInputs(sourceOf(state));
  const differences = manifestDifferences(state.manifest, await manifestOf(inputs, state.outputs));
  if (differences.length > 0) {
    throw new UsageError(`the judge or dataset changed since the batches were submitted: ${differences.join('; ')}`, 'restore them to collect these batches, or submit anew');
  }

  const model = state.manifest.judge.model;
  const price = options.price ?? state.price ?? modelPrice(model);
  const accumulator = new SummaryAccumulator(price ? { model, price: batchPrice(price) } : undefined, pairPathsFromManifest(state.manifest));
  const redact = options.redact ?? ((text: string) => text);
  const continued = state.continue_mode !== 'fresh';
  const graded = continued ? await seedFromResults(state.outputs, accumulator) : new Set<string>();
  const sink = await openSinks(state.outputs, { force: true, rowColumns: inputs.report.rowColumns, append: continued });
  await writeManifest(manifestPath(state.outputs[0]!), { ...state.manifest, updated_at: new Date().toISOString() });

  let answered = 0;
  try {
    for (const group of groupsOf(state.parts, options.maxAnswersInMemory ?? 50_000)) {
      const outcomes = new Map<string, LineOutcome>();
      for (const part of group) await readPartOutput(part, inputs, outcomes, deps);
      answered += outcomes.size;
      for await (const row of runRows(inputs)) {
        const outcome = outcomes.get(row.id);
        if (!outcome) continue;
        outcomes.delete(row.id);
        if (graded.has(row.id)) continue;
        const error = outcome.error ? { ...outcome.error, message: redact(outcome.error.message) } : null;
        const record = batchRecord(row.id, row.fields, { ...outcome, error }, {
          model,
          prompt: state.manifest.judge.prompt,
          prompt_sha: state.manifest.judge.prompt_sha,
          ...(state.manifest.judge.reasoning_effort === null ? {} : { reasoning_effort: state.manifest.judge.reasoning_effort }),
        });
        await sink.write(record);
        accumulator.add(record);
        deps.onEvent?.({ type: 'row', record });
      }
      if (outcomes.size > 0) deps.onEvent?.({ type: 'note', message: `${outcomes.size} answers name ids that are not rows of this run; they were left out` });
    }
  } finally {
    await sink.close();
  }

  const sent = state.parts.reduce((sum, part) => sum + part.requests, 0);
  const unfinished = state.parts.filter((part) => part.status !== 'completed');
  const status: RunStatus = unfinished.some((p) => p.status === 'cancelled') ? 'cancelled' : unfinished.length > 0 ? 'failed' : 'complete';
  const summary = accumulator.finish({
    status,
    rows: inputs.report.rows,
    requests: sent,
    retries: 0,
    rateLimited: 0,
    wallMs: Number.isFinite(started) ? Date.now() - started : 0,
    model,
    prompt: state.manifest.judge.prompt,
  });
  const unanswered = Math.max(0, sent - answered);
  const decision = decideExitCode(summary, options.gates, unfinished.length > 0 ? describeUnfinished(unfinished, unanswered) : false, false);

  state.collected_at = new Date().toISOString();
  await writeBatchState(statePath, state);
  // The request files were only needed until their batches were created and answered.
  await Promise.all(state.parts.map((part) => rm(part.request_file, { force: true })));
  return { summary, exitCode: decision.code, reasons: decision.reasons, outputs: state.outputs, unanswered };
}

/** What to read the dataset and prompt with again: the submit's own choices, kept in the state. */
function sourceOf(state: BatchState): BatchSource {
  const idField = state.manifest.id_field;
  return {
    dataset: state.dataset_file,
    prompt: state.prompt_file,
    model: state.manifest.judge.model,
    idField: idField === 'id' ? undefined : idField,
    limit: state.limit ?? undefined,
    shard: state.manifest.shard === null ? undefined : ShardSpec.parse(state.manifest.shard),
    reasoningEffort: state.manifest.judge.reasoning_effort === null ? undefined : (state.manifest.judge.reasoning_effort as ReasoningEffort),
  };
}

/** Compacts continued results files and counts their graded records into the summary; returns their ids. */
async function seedFromResults(outputs: string[], accumulator: SummaryAccumulator): Promise<Set<string>> {
  const resume = await prepareResume(outputs, { stamp: new Date().toISOString().replace(/[:.]/g, '-') });
  const first = resume.existing[0];
  if (first) {
    for await (const record of readResults(first)) if (record.error === null && resume.graded.has(record.id)) accumulator.add(record);
  }
  return resume.graded;
}

/** Reads a part's output and error files into `outcomes`, streaming line by line. */
async function readPartOutput(part: BatchPart, inputs: BatchInputs, outcomes: Map<string, LineOutcome>, deps: BatchDependencies): Promise<void> {
  for (const fileId of [part.output_file_id, part.error_file_id]) {
    if (fileId === null) continue;
    let unreadable = 0;
    try {
      const response = await deps.client.files.content(fileId, { signal: deps.signal });
      if (!response.body) continue;
      const lines = splitLines(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>));
      for await (const line of lines) {
        if (line.trim() === '') continue;
        const read = readOutputLine(line, inputs.spec);
        if (read) outcomes.set(read.customId, read.outcome);
        else unreadable++;
      }
    } catch (error) {
      throw batchCallFailure(error, `downloading file ${fileId} of batch ${part.index}`, deps.signal);
    }
    if (unreadable > 0) deps.onEvent?.({ type: 'note', message: `${unreadable} lines of file ${fileId} (batch ${part.index}) could not be read and were left out` });
  }
}

/** Parts in groups of about `size` requests (at least one part each), so memory holds one group's answers. */
function groupsOf(parts: BatchPart[], size: number): BatchPart[][] {
  const groups: BatchPart[][] = [];
  let current: BatchPart[] = [];
  let requests = 0;
  for (const part of parts) {
    if (current.length > 0 && requests + part.requests > size) {
      groups.push(current);
      current = [];
      requests = 0;
    }
    current.push(part);
    requests += part.requests;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

function describeUnfinished(parts: BatchPart[], unanswered: number): string {
  const each = parts.map((part) => {
    const why = part.errors.map((e) => `${e.code ?? 'error'}${e.line !== null ? ` on line ${e.line}` : ''}: ${e.message ?? ''}`).join('; ');
    return `batch ${part.index} ${part.status}${why ? ` (${why})` : ''}`;
  });
  return `${each.join(', ')}: ${unanswered} rows got no answer; "verdict run --resume" with the same flags grades them`;
}
