import type { Readable } from 'node:stream';
import type { RunOptions } from '../config.js';
import type { IdFieldChoice } from '../dataset/row-id.js';
import { openDataset, STDIN_PATH } from '../dataset/open.js';
import type { Dataset } from '../dataset/types.js';
import type { JudgePrompt } from '../prompt/load.js';
import { preflight, type PreflightReport } from './preflight.js';

/** The dataset opened and pre-flighted, or the interrupt that came first. */
export type DatasetRead = { kind: 'read'; dataset: Dataset; report: PreflightReport } | { kind: 'interrupted'; message: string };

/**
 * Opens and pre-flights the dataset. Stdin may never end (a pipe whose writer hangs), and a large
 * file takes a while, so an interrupt meanwhile is honoured at once: stdin is destroyed, the
 * pre-flight stops at the next row, and nothing has been sent or written.
 */
export async function readDataset(
  options: Pick<RunOptions, 'dataset' | 'limit' | 'shard'>,
  deps: { signal?: AbortSignal; stdin?: NodeJS.ReadableStream },
  prompt: JudgePrompt,
  idField: IdFieldChoice,
): Promise<DatasetRead> {
  const { signal } = deps;
  const interrupted = { kind: 'interrupted', message: 'interrupted while reading the dataset; nothing was sent' } as const;
  if (signal?.aborted) return interrupted;
  const onAbort = () => {
    if (options.dataset === STDIN_PATH) ((deps.stdin ?? process.stdin) as Partial<Readable>).destroy?.();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const dataset = await openDataset(options.dataset, { stdin: deps.stdin });
    const report = await preflight(dataset, prompt, { idField, limit: options.limit, shard: options.shard, signal });
    return { kind: 'read', dataset, report };
  } catch (error) {
    if (signal?.aborted) return interrupted;
    throw error;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}
