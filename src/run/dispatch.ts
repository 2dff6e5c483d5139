import type { IdFieldChoice } from '../dataset/row-id.js';
import { rowIdOf } from '../dataset/row-id.js';
import { inShard, type Shard } from '../dataset/shard.js';
import type { Dataset } from '../dataset/types.js';
import { gradeRow, RowCancelledError, RunStopError, type GradeContext } from '../judge/grade-row.js';
import { planAsks } from '../judge/plan-asks.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { ResultRecord } from '../results/record.js';
import type { ResultSink } from '../results/sink.js';
import { Semaphore } from '../scheduler/semaphore.js';
import type { RetryNotice } from '../scheduler/with-retries.js';

/** What the dispatch loop reports to the run, and where it writes. */
export interface DispatchHooks {
  sink: ResultSink;
  /** No new row starts once this fires. */
  signal: AbortSignal;
  redact: (text: string) => string;
  /** Rows this run leaves alone (already graded, when resuming). */
  skip: (id: string) => boolean;
  onRetry: (rowId: string, notice: RetryNotice) => void;
  /** A record is on disk. */
  onRecord: (record: ResultRecord) => void;
  onStop: (error: RunStopError) => void;
  /** A row ended without a record (stopped, cancelled) after spending these tokens. */
  onUnrecordedUsage?: (usage: NonNullable<RunStopError['usage']>) => void;
  /** A record could not be written: called at once, so the run can stop what is in flight. */
  onWriteFailure?: (error: unknown) => void;
}

/**
 * Streams rows into graders, at most `concurrency` at a time. Reading waits for a free slot, so
 * memory holds only the rows in flight. A record counts as done only once it is written.
 */
export async function dispatch(
  dataset: Dataset,
  prompt: JudgePrompt,
  options: { concurrency: number; limit?: number; idField: IdFieldChoice; shard?: Shard; repeat?: number },
  ctx: GradeContext,
  hooks: DispatchHooks,
): Promise<void> {
  const slots = new Semaphore(options.concurrency);
  const inFlight = new Set<Promise<void>>();
  let seen = 0;
  let writeFailure: unknown;
  for await (const row of dataset.rows()) {
    if (options.limit !== undefined && seen >= options.limit) break;
    seen++;
    const id = rowIdOf(row, options.idField, dataset.file);
    if ((options.shard && !inShard(id, options.shard)) || hooks.skip(id)) continue;
    const release = await slots.acquire();
    if (hooks.signal.aborted || writeFailure) {
      release();
      break;
    }
    const asks = planAsks(prompt, row.fields, { file: dataset.file, rowNumber: row.rowNumber, line: row.line }, options.repeat ?? 1);
    const task = gradeRow({ id, fields: row.fields, asks }, { ...ctx, onRetry: (notice) => hooks.onRetry(id, notice) })
      .then(async (graded) => {
        const record = graded.error ? { ...graded, error: { ...graded.error, message: hooks.redact(graded.error.message) } } : graded;
        await hooks.sink.write(record);
        hooks.onRecord(record);
      })
      .catch((error: unknown) => {
        if (error instanceof RunStopError || error instanceof RowCancelledError) {
          if (error.usage) hooks.onUnrecordedUsage?.(error.usage);
          if (error instanceof RunStopError) hooks.onStop(error);
        } else if (writeFailure === undefined) {
          writeFailure = error;
          hooks.onWriteFailure?.(error);
        }
      })
      .finally(() => {
        release();
        inFlight.delete(task);
      });
    inFlight.add(task);
  }
  await Promise.all(inFlight);
  // A results file that cannot be written is not a row's problem: the run cannot go on.
  if (writeFailure) throw writeFailure;
}
