import * as z from 'zod';
import { UsageError } from '../errors.js';
import { RunManifest } from '../results/manifest.js';
import { readJsonFile, writeJsonFile } from '../results/json-file.js';

/** A batch's status as the API reports it. */
export const BatchStatus = z.enum(['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled']);
export type BatchStatus = z.infer<typeof BatchStatus>;

const count = z.number().int().nonnegative();

/** One request file and the batch that runs it; ids stay null until that step has happened. */
export const BatchPart = z.object({
  /** 1-based position among the run's parts. */
  index: z.number().int().min(1),
  /** The request file written beside the results (removed once collected). */
  request_file: z.string(),
  requests: count,
  bytes: count,
  input_file_id: z.string().nullable(),
  batch_id: z.string().nullable(),
  /** Null until the batch is created. */
  status: BatchStatus.nullable(),
  request_counts: z.object({ total: count, completed: count, failed: count }),
  output_file_id: z.string().nullable(),
  error_file_id: z.string().nullable(),
  /** Why the API refused the input (`errors.data` of a failed batch). */
  errors: z.array(z.object({ code: z.string().nullable(), line: z.number().nullable(), message: z.string().nullable() })),
});
export type BatchPart = z.infer<typeof BatchPart>;

/**
 * Everything a later `verdict batch status|collect` (or a resumed `verdict run --batch`) needs:
 * where the batches live, which judge and dataset they grade, and how far each one got. It never
 * holds the API key.
 */
export const BatchState = z.object({
  version: z.literal(1),
  submitted_at: z.string(),
  updated_at: z.string(),
  /** Set once the results were written; a collected state no longer blocks a new submit. */
  collected_at: z.string().nullable(),
  /** The API the batches were created on; null for OpenAI itself. */
  base_url: z.string().nullable(),
  /** Absolute paths, so status and collect work from any directory. */
  prompt_file: z.string(),
  dataset_file: z.string(),
  limit: z.number().int().min(1).nullable(),
  /** How the results files are written when collected: anew, or continued (`--resume`, `--retry-errors`). */
  continue_mode: z.enum(['fresh', 'resume', 'retry-errors']),
  outputs: z.array(z.string()).min(1),
  /** Rows in the run (after --limit and --shard), sent or not. */
  rows: count,
  /** `--price` as given at submit (standard prices; the batch discount is applied on top). */
  price: z.object({ input: z.number(), cachedInput: z.number(), output: z.number() }).nullable(),
  manifest: RunManifest,
  parts: z.array(BatchPart),
});
export type BatchState = z.infer<typeof BatchState>;

/** Statuses after which a batch never changes again. */
const finalStatuses: ReadonlySet<BatchStatus> = new Set(['completed', 'failed', 'expired', 'cancelled']);

/** True when the batch of this part will not change any more. */
export function isFinished(part: BatchPart): boolean {
  return part.status !== null && finalStatuses.has(part.status);
}

/** The state file's path: beside the first results file. */
export function batchStatePath(resultsPath: string): string {
  return `${resultsPath}.batch.json`;
}

/** Reads a state file; undefined when there is none, a UsageError when it is not one. */
export function readBatchState(path: string): Promise<BatchState | undefined> {
  return readJsonFile(path, BatchState, 'a verdict batch state file', 'move it away to submit anew');
}

/** Reads the state file of a results file, or says how to make one. */
export async function requireBatchState(resultsPath: string): Promise<{ path: string; state: BatchState }> {
  const path = batchStatePath(resultsPath);
  const state = await readBatchState(path);
  if (!state) {
    throw new UsageError(`no batch was submitted for ${resultsPath} (there is no ${path})`, 'submit one with "verdict batch submit -d … -p … -o …", or name the results file with -o');
  }
  return { path, state };
}

/** Writes the state atomically (temporary file, then rename), stamping `updated_at`. */
export async function writeBatchState(path: string, state: BatchState): Promise<void> {
  state.updated_at = new Date().toISOString();
  await writeJsonFile(path, state);
}
