import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type OpenAI from 'openai';
import { UsageError } from '../errors.js';
import { estimateCostUsd, modelPrice, type ModelPrice } from '../pricing/prices.js';
import { manifestDifferences } from '../results/manifest.js';
import { lockFiles } from '../results/lock.js';
import { planResume, type ContinueMode } from '../run/resume-plan.js';
import { checkRunOutputs } from '../run/run-outputs.js';
import { batchCallFailure } from './batch-errors.js';
import { batchPrice } from './discount.js';
import type { BatchEvent } from './events.js';
import { firstRequestParams, worstCaseCompletionTokens } from '../dialect/params.js';
import { batchIdentity, loadBatchInputs, manifestOf, rowsToGrade, type BatchInputs, type BatchSource } from './inputs.js';
import { applyBatch } from './poll.js';
import { BATCH_ENDPOINT, DEFAULT_BATCH_LIMITS, requestLine, writeRequestFiles, type BatchLimits } from './request-files.js';
import { batchStatePath, readBatchState, writeBatchState, type BatchPart, type BatchState } from './state.js';

/** What `verdict batch submit` (and the submit step of `verdict run --batch`) is asked to do. */
export interface SubmitOptions {
  source: BatchSource;
  /** Results files; the state file goes beside the first. */
  outputs: string[];
  mode: ContinueMode;
  force: boolean;
  /** The API the batches go to; undefined for OpenAI. Stored, so status and collect find them. */
  baseUrl?: string;
  price?: ModelPrice;
  /** Refuse to submit when the batch's worst-case cost (every answer at max_tokens) is above this. */
  maxCost?: number;
  /** Per-file limits; OpenAI's by default. A test passes small ones to force a split. */
  limits?: BatchLimits;
  /** `run --batch --summary` and its `-o *.html`: written at collect, but checked before anything is sent. */
  summary?: string;
  reports?: string[];
}

/** What the batch stages need besides their options. */
export interface BatchDependencies {
  client: OpenAI;
  /** Ctrl-C: stop between API calls; the state file keeps what was done. */
  signal?: AbortSignal;
  onEvent?: (event: BatchEvent) => void;
}

/** The outcome of a submit: the state, and whether it continued an earlier one rather than starting anew. */
export interface Submitted {
  statePath: string;
  state: BatchState;
  resumed: boolean;
}

/**
 * Submits a run as batches: checks every row (bad input throws before anything is written or
 * uploaded), writes the request files within the limits, then uploads each and creates its batch,
 * saving the state file after every step. When the results file already has a state file that is
 * not collected yet, nothing is submitted anew: its unsent parts are sent and it is returned, so
 * running the same command again never pays twice.
 */
export async function submitBatches(options: SubmitOptions, deps: BatchDependencies): Promise<Submitted> {
  const inputs = await loadBatchInputs(options.source);
  const statePath = batchStatePath(options.outputs[0]!);
  const earlier = await readBatchState(statePath);
  if (earlier && earlier.collected_at === null) {
    await checkSameRun(earlier, inputs, options);
    await sendParts(earlier, statePath, deps, true);
    return { statePath, state: earlier, resumed: true };
  }

  await checkOutputs(options, inputs.prompt.file);
  const price = options.price ?? modelPrice(inputs.model);
  if (options.maxCost !== undefined) checkWorstCase(inputs, price, options.maxCost);
  // Held until the state is written: a resume compacts the results files, which a run may be writing.
  const locks = await lockFiles(options.outputs, { command: 'verdict batch submit', onNote: (message) => deps.onEvent?.({ type: 'note', message }) });
  let state: BatchState;
  try {
    state = await writeParts(options, inputs, statePath, deps);
  } finally {
    await locks.release();
  }
  await sendParts(state, statePath, deps, false);
  return { statePath, state, resumed: false };
}

/** Plans what is left to grade, writes the request files and the state that lists them. */
async function writeParts(options: SubmitOptions, inputs: BatchInputs, statePath: string, deps: BatchDependencies): Promise<BatchState> {
  const identity = batchIdentity(inputs);
  const plan = await planResume(options.mode, options.outputs, identity, options.force);
  for (const note of plan.notes) deps.onEvent?.({ type: 'note', message: note });

  for (const note of inputs.params.notes) deps.onEvent?.({ type: 'note', message: note.message });
  const settings = { model: inputs.model, sampling: firstRequestParams(inputs.params), responseFormat: inputs.responseFormat };
  const lines = (async function* () {
    for await (const row of rowsToGrade(inputs, plan.skip)) yield { id: row.id, line: requestLine(row.id, row.messages, settings) };
  })();
  const files = await writeRequestFiles(lines, (index) => `${options.outputs[0]}.batch-${index}.jsonl`, options.limits ?? DEFAULT_BATCH_LIMITS);
  const now = new Date().toISOString();
  const state: BatchState = {
    version: 1,
    submitted_at: now,
    updated_at: now,
    collected_at: null,
    base_url: options.baseUrl ?? null,
    prompt_file: path.resolve(inputs.prompt.file),
    dataset_file: path.resolve(inputs.dataset.file),
    limit: options.source.limit ?? null,
    continue_mode: options.mode,
    outputs: options.outputs,
    rows: inputs.report.rows,
    price: options.price ?? null,
    manifest: plan.manifest,
    parts: files.map((file, i) => ({
      index: i + 1,
      request_file: path.resolve(file.path),
      requests: file.requests,
      bytes: file.bytes,
      input_file_id: null,
      batch_id: null,
      status: null,
      request_counts: { total: file.requests, completed: 0, failed: 0 },
      output_file_id: null,
      error_file_id: null,
      errors: [],
    })),
  };
  await writeBatchState(statePath, state);
  if (files.length === 0) deps.onEvent?.({ type: 'note', message: 'no rows to grade: nothing was submitted' });
  return state;
}

/** Uploads each part's request file and creates its batch, saving the state after each step. */
async function sendParts(state: BatchState, statePath: string, deps: BatchDependencies, resuming: boolean): Promise<void> {
  const { client, signal } = deps;
  const parts = state.parts.length;
  for (const part of state.parts) {
    if (part.batch_id !== null) continue;
    const wasUploaded = part.input_file_id !== null;
    if (part.input_file_id === null) {
      await requireFile(part);
      try {
        const file = await client.files.create({ file: createReadStream(part.request_file), purpose: 'batch' }, { signal });
        part.input_file_id = file.id;
      } catch (error) {
        throw batchCallFailure(error, `uploading request file ${part.index} of ${parts}`, signal);
      }
      await writeBatchState(statePath, state);
      deps.onEvent?.({ type: 'uploaded', part: part.index, parts, fileId: part.input_file_id, requests: part.requests });
    }
    // A crash between creating a batch and saving its id would otherwise create a second one.
    const found = resuming && wasUploaded ? await findBatchFor(client, part.input_file_id, signal) : undefined;
    try {
      const batch =
        found ??
        (await client.batches.create(
          {
            input_file_id: part.input_file_id,
            endpoint: BATCH_ENDPOINT,
            completion_window: '24h',
            metadata: { verdict_results: path.basename(state.outputs[0]!), verdict_part: `${part.index}/${parts}` },
          },
          { signal, maxRetries: 0 },
        ));
      applyBatch(part, batch);
    } catch (error) {
      throw batchCallFailure(error, `creating batch ${part.index} of ${parts}`, signal);
    }
    await writeBatchState(statePath, state);
    deps.onEvent?.({ type: 'created', part: part.index, parts, batchId: part.batch_id! });
  }
}

/** The batch an earlier, interrupted submit created for this input file, if any (newest 500 looked at). */
async function findBatchFor(client: OpenAI, inputFileId: string, signal?: AbortSignal): Promise<OpenAI.Batches.Batch | undefined> {
  let looked = 0;
  try {
    for await (const batch of client.batches.list({ limit: 100 }, { signal })) {
      if (batch.input_file_id === inputFileId) return batch;
      if (++looked >= 500) break;
    }
  } catch (error) {
    throw batchCallFailure(error, 'looking for a batch created before an interruption', signal);
  }
  return undefined;
}

async function requireFile(part: BatchPart): Promise<void> {
  try {
    await stat(part.request_file);
  } catch {
    throw new UsageError(
      `request file ${part.request_file} is gone, so batch ${part.index} cannot be uploaded`,
      'delete the state file beside the results (*.batch.json) and submit again',
    );
  }
}

/** A pending state may only be continued by the same run: same judge, dataset and rows. */
async function checkSameRun(earlier: BatchState, inputs: BatchInputs, options: SubmitOptions): Promise<void> {
  const differences = manifestDifferences(earlier.manifest, await manifestOf(inputs, options.outputs));
  if ((earlier.limit ?? undefined) !== options.source.limit) differences.push(`--limit: ${earlier.limit ?? 'none'} → ${options.source.limit ?? 'none'}`);
  if (differences.length > 0) {
    throw new UsageError(
      `batches submitted for ${options.outputs[0]} at ${earlier.submitted_at} are not collected yet, and they grade another configuration: ${differences.join('; ')}`,
      `collect them first (verdict batch collect -o ${options.outputs[0]}), or delete ${batchStatePath(options.outputs[0]!)} to abandon them (they still run, and are billed)`,
    );
  }
}

/** Results files must be writable later: known extensions, no input among them, and not overwritten without --force/--resume. */
async function checkOutputs(options: SubmitOptions, promptFile: string): Promise<void> {
  for (const output of options.outputs) {
    if (!/\.(jsonl|csv|xml)$/i.test(output)) {
      throw new UsageError(`cannot write results to ${output}: the file name must end in .jsonl, .csv or .xml (JUnit)`, 'the format of a results file is chosen by its extension');
    }
  }
  const { mode, force } = options;
  await checkRunOutputs(
    { dataset: options.source.dataset, out: options.outputs, reports: options.reports ?? [], summary: options.summary, force, resume: mode === 'resume', retryErrors: mode === 'retry-errors' },
    promptFile,
  );
}

/** --max-cost with a batch: the whole batch is paid for, so its worst case must fit before it is sent. */
function checkWorstCase(inputs: BatchInputs, price: ModelPrice | undefined, maxCost: number): void {
  if (!price) {
    throw new UsageError(`--max-cost needs a price for ${inputs.model}, and verdict's table has none`, 'give it with --price input/output, in USD per million tokens');
  }
  // A reasoning judge may spend its whole budget, reasoning included, on every row.
  const usage = { prompt_tokens: inputs.report.estimatedPromptTokens, completion_tokens: inputs.report.rows * worstCaseCompletionTokens(inputs.params), cached_tokens: 0 };
  const worst = estimateCostUsd(inputs.model, usage, batchPrice(price)) ?? 0;
  if (worst > maxCost) {
    throw new UsageError(
      `the batch may cost up to $${worst.toFixed(4)} (every answer at its whole budget${inputs.params.reasoningTokens > 0 ? ', reasoning included' : ''}, at the batch price), above --max-cost $${maxCost}; a batch cannot be stopped part-way, so nothing was sent`,
      'raise --max-cost, grade fewer rows (--limit, --shard), or lower max_tokens in the prompt',
    );
  }
}
