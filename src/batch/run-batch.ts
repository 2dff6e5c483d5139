import { collectBatches, type CollectOptions, type CollectResult } from './collect.js';
import { waitForParts } from './poll.js';
import type { BatchState } from './state.js';
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

/**
 * `verdict batch collect`: the batches of a state file collected, once they have finished; with
 * `wait`, polled until they have. Never prints and never exits.
 */
export async function collectSubmitted(
  submitted: { state: BatchState; statePath: string },
  options: { wait: boolean; pollIntervalMs: number; collect: CollectOptions },
  deps: BatchDependencies,
): Promise<CollectResult> {
  const { state, statePath } = submitted;
  if (options.wait && state.collected_at === null) {
    await waitForParts(state, statePath, deps.client, { pollIntervalMs: options.pollIntervalMs, signal: deps.signal, onEvent: deps.onEvent });
  }
  return collectBatches(state, statePath, options.collect, deps);
}
