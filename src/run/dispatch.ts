import type { IdFieldChoice } from '../dataset/row-id.js';
import { rowIdOf } from '../dataset/row-id.js';
import { inShard, type Shard } from '../dataset/shard.js';
import type { Dataset } from '../dataset/types.js';
import { RowCancelledError, RunStopError, type RowJob } from '../judge/grade-row.js';
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
  /** A row ended without a record (stopped, cancelled) after `model` (absent: the run's) spent these tokens. */
  onUnrecordedUsage?: (usage: NonNullable<RunStopError['usage']>, model?: string) => void;
  /** A record could not be written: called at once, so the run can stop what is in flight. */
  onWriteFailure?: (error: unknown) => void;
}

/** Grades one row into its record: one judge's gradeRow, or a panel's (gradePanelRow). */
export type RowGrader = (job: RowJob, onRetry: (notice: RetryNotice) => void) => Promise<ResultRecord>;

/**
 * Streams rows into graders, at most `concurrency` at a time. Reading waits for a free slot, so
 * memory holds only the rows in flight. A record counts as done only once it is written.
 */
export async function dispatch(
  dataset: Dataset,
  prompt: JudgePrompt,
  options: { concurrency: number; limit?: number; idField: IdFieldChoice; shard?: Shard; repeat?: number },
  grade: RowGrader,
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
    const task = grade({ id, fields: row.fields, asks }, (notice) => hooks.onRetry(id, notice))
      .then(async (graded) => {
        const record = redacted(graded, hooks.redact);
        await hooks.sink.write(record);
        hooks.onRecord(record);
      })
      .catch((error: unknown) => {
        if (error instanceof RunStopError || error instanceof RowCancelledError) {
          if (error.usageByModel) for (const [model, usage] of error.usageByModel) hooks.onUnrecordedUsage?.(usage, model);
          else if (error.usage) hooks.onUnrecordedUsage?.(error.usage);
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

/** A record whose error messages (the row's, and each vote's) hold no secret a server echoed back. */
function redacted(record: ResultRecord, redact: (text: string) => string): ResultRecord {
  const error = record.error ? { ...record.error, message: redact(record.error.message) } : null;
  const votes = record.votes?.map((vote) => (vote.error ? { ...vote, error: { ...vote.error, message: redact(vote.error.message) } } : vote));
  return { ...record, error, ...(votes ? { votes } : {}) };
}
