/** Helpers for the batch tests: an emulator with quick batches, the batch client, the stage options. */
import path from 'node:path';
import { createBatchClient } from '../../src/batch/client.js';
import type { CollectOptions } from '../../src/batch/collect.js';
import type { SubmitOptions } from '../../src/batch/submit.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';

/** Runs `body` against a fresh emulator whose batches finish in tens of ms, and always closes it. */
export async function withBatchEmulator<T>(options: EmulatorOptions, body: (emulator: Emulator) => Promise<T>): Promise<T> {
  const emulator = await startEmulator({ batchDelayMs: 40, ...options });
  try {
    return await body(emulator);
  } finally {
    await emulator.close();
  }
}

/** The batch client pointed at the emulator. */
export function batchClient(emulator: Emulator) {
  return createBatchClient({ apiKey: TEST_KEY, baseURL: emulator.url, timeoutMs: 5_000 });
}

/** A temp dir with a q1..qn dataset, and the results path in it. */
export async function batchWorkspace(rows: number) {
  const dir = await tempDir();
  const dataset = await qaDataset(rows, dir);
  return { dir, dataset, out: path.join(dir, 'results.jsonl') };
}

/** Submit options for the correctness prompt over a dataset. */
export function submitOptions(emulator: Emulator, dataset: string, out: string, extra: Partial<SubmitOptions> = {}): SubmitOptions {
  return { source: { dataset, prompt: 'correctness' }, outputs: [out], mode: 'fresh', force: false, baseUrl: emulator.url, ...extra };
}

/** Collect options with the run's default gates. */
export function collectOptions(extra: Partial<CollectOptions> = {}): CollectOptions {
  return { gates: { maxErrorRate: 0.05 }, ...extra };
}

/** A sleep that waits only a few ms, whatever the poll interval asked. */
export const quickSleep = (_ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, 5);
    signal?.addEventListener('abort', () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
