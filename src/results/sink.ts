import type { ResultRecord } from './record.js';

/** Where graded records go: a results file, or several at once. */
export interface ResultSink {
  /** The file written, for messages (several joined with ", " for a fan-out sink). */
  readonly path: string;
  /** Writes one record; when it resolves the record is in the OS (survives a crash of this process). */
  write(record: ResultRecord): Promise<void>;
  /** Waits for pending writes, fsyncs and closes. */
  close(): Promise<void>;
}
