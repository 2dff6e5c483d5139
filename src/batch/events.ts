import type { ResultRecord } from '../results/record.js';
import type { BatchPart } from './state.js';

/** What the batch stages report while they work; the CLI turns these into lines and a progress bar. */
export type BatchEvent =
  | { type: 'note'; message: string }
  /** A request file went up: `part` of `parts`, as file `fileId`. */
  | { type: 'uploaded'; part: number; parts: number; fileId: string; requests: number }
  /** A batch was created (or found again after a crash) for a request file. */
  | { type: 'created'; part: number; parts: number; batchId: string }
  /** The batches' statuses as the last poll found them. */
  | { type: 'poll'; parts: readonly BatchPart[] }
  /** A record is on disk. */
  | { type: 'row'; record: ResultRecord };
