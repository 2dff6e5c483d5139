import { collectBatches, type CollectOptions, type CollectResult } from './collect.js';
import type OpenAI from 'openai';
import { refreshParts, waitForParts } from './poll.js';
import { isFinished, requireBatchState, type BatchState } from './state.js';
import { submitBatches, type BatchDependencies, type SubmitOptions } from './submit.js';

/** `verdict run --batch`: what to submit, how to wait, how to judge the results. */
export interface BatchRunOptions {
  submit: SubmitOptions;
  collect: CollectOptions;
  pollIntervalMs: number;
}

/**
 * Submits the run as batches (or, when the results file has a state file not yet collected,
 * continues that one without uploading anything again), waits for them, and collects the results.
 * Ctrl-C during the wait throws BatchInterruptedError and leaves the state file, so the same
 * command resumes the wait. Never prints and never exits.
 */
export async function runBatchEval(
  options: BatchRunOptions,
  deps: BatchDependencies & { sleep?: (ms: number, signal?: AbortSignal) => Promise<void> },
): Promise<CollectResult & { resumed: boolean }> {
  const submitted = await submitBatches(options.submit, deps);
  if (submitted.resumed) {
    deps.onEvent?.({ type: 'note', message: `resuming the batches submitted at ${submitted.state.submitted_at}: nothing is uploaded again` });
  }
  await waitForParts(submitted.state, submitted.statePath, deps.client, {
    pollIntervalMs: options.pollIntervalMs,
    signal: deps.signal,
    sleep: deps.sleep,
    onEvent: deps.onEvent,
  });
  const result = await collectBatches(submitted.state, submitted.statePath, options.collect, deps);
  return { ...result, resumed: submitted.resumed };
}

/** Opens the API client for a state read from disk: the batches' own base URL is only known then. */
export type ConnectFor = (state: BatchState) => Promise<OpenAI>;

/** `verdict batch status`: where the batches of a results file stand, asked of the API unless they were collected already. */
export async function batchStatus(resultsPath: string, connect: ConnectFor, signal?: AbortSignal): Promise<{ statePath: string; state: BatchState; finished: boolean }> {
  const { path: statePath, state } = await requireBatchState(resultsPath);
  if (state.collected_at === null) await refreshParts(state, statePath, await connect(state), signal);
  return { statePath, state, finished: state.parts.every(isFinished) };
}

/**
 * `verdict batch collect`: the batches of a results file collected, once they have finished; with
 * `wait`, polled until they have. Never prints and never exits.
 */
export async function collectSubmitted(
  resultsPath: string,
  connect: ConnectFor,
  options: { wait: boolean; pollIntervalMs: number; collect: CollectOptions },
  deps: Omit<BatchDependencies, 'client'>,
): Promise<CollectResult & { state: BatchState }> {
  const { path: statePath, state } = await requireBatchState(resultsPath);
  const client = await connect(state);
  if (options.wait && state.collected_at === null) {
    await waitForParts(state, statePath, client, { pollIntervalMs: options.pollIntervalMs, signal: deps.signal, onEvent: deps.onEvent });
  }
  return { ...(await collectBatches(state, statePath, options.collect, { ...deps, client })), state };
}
