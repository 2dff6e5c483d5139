import { setTimeout as sleepFor } from 'node:timers/promises';
import type OpenAI from 'openai';
import { UsageError } from '../errors.js';
import { batchCallFailure, BatchApiError, BatchInterruptedError } from './batch-errors.js';
import type { BatchEvent } from './events.js';
import { isFinished, writeBatchState, type BatchPart, type BatchState } from './state.js';

/** Copies what the API says about a batch into its part of the state. */
export function applyBatch(part: BatchPart, batch: OpenAI.Batches.Batch): void {
  part.batch_id = batch.id;
  part.status = batch.status;
  if (batch.request_counts) part.request_counts = { ...batch.request_counts };
  part.output_file_id = batch.output_file_id ?? null;
  part.error_file_id = batch.error_file_id ?? null;
  part.errors = (batch.errors?.data ?? []).map((e) => ({ code: e.code ?? null, line: e.line ?? null, message: e.message ?? null }));
}

/** Asks the API where every unfinished batch stands, and saves the state. */
export async function refreshParts(state: BatchState, statePath: string, client: OpenAI, signal?: AbortSignal): Promise<void> {
  for (const part of state.parts) {
    if (part.batch_id === null || isFinished(part)) continue;
    try {
      applyBatch(part, await client.batches.retrieve(part.batch_id, { signal }));
    } catch (error) {
      throw batchCallFailure(error, `checking batch ${part.index} of ${state.parts.length} (${part.batch_id})`, signal);
    }
  }
  await writeBatchState(statePath, state);
}

/** How the wait polls. */
export interface WaitOptions {
  /** Between two polls. */
  pollIntervalMs: number;
  /** Ctrl-C: the wait ends with BatchInterruptedError; the batches run on, and the state file says where. */
  signal?: AbortSignal;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  onEvent?: (event: BatchEvent) => void;
  /** Polls in a row that may fail for a transient reason (a 5xx, a dropped connection) before the wait gives up. */
  maxFailedPolls?: number;
}

/**
 * Polls until every batch is finished (completed, failed, expired or cancelled), saving the state
 * after each poll so an interrupted wait resumes where it was. A poll that fails transiently is
 * tried again at the next interval; a bad key or a missing batch ends the wait.
 */
export async function waitForParts(state: BatchState, statePath: string, client: OpenAI, options: WaitOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => sleepFor(ms, undefined, { signal }));
  const maxFailedPolls = options.maxFailedPolls ?? 10;
  let failedPolls = 0;
  const unsent = state.parts.filter((part) => part.batch_id === null);
  if (unsent.length > 0) {
    throw new UsageError(
      `${unsent.length} of ${state.parts.length} batches were never created: the submit was interrupted`,
      'run the submit command (or verdict run --batch) again: it sends only what is missing',
    );
  }
  for (;;) {
    if (options.signal?.aborted) throw new BatchInterruptedError('interrupted while waiting for the batches');
    try {
      await refreshParts(state, statePath, client, options.signal);
      failedPolls = 0;
      options.onEvent?.({ type: 'poll', parts: state.parts });
    } catch (error) {
      if (!(error instanceof BatchApiError) || !isTransient(error.code) || ++failedPolls >= maxFailedPolls) throw error;
      options.onEvent?.({ type: 'note', message: `${error.message}; polling again` });
    }
    if (state.parts.every(isFinished)) return;
    try {
      await sleep(options.pollIntervalMs, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw new BatchInterruptedError('interrupted while waiting for the batches');
      throw error;
    }
  }
}

function isTransient(code: string): boolean {
  return code === 'server_error' || code === 'timeout' || code === 'connection_error' || code === 'rate_limited';
}
