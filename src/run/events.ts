import type { ResultRecord } from '../results/record.js';
import type { RetryNotice } from '../scheduler/with-retries.js';

/** What a run reports while it works; the CLI turns these into a progress bar or log lines. */
export type RunEvent =
  | { type: 'start'; rows: number; alreadyGraded: number; model: string; prompt: string; concurrency: number }
  | { type: 'note'; message: string }
  | { type: 'request' }
  | { type: 'rate-limited' }
  | { type: 'retry'; rowId: string; notice: RetryNotice }
  | { type: 'row'; record: ResultRecord }
  | { type: 'structured-outputs-off' }
  | { type: 'stopping'; reason: 'fatal' | 'cancelled'; message: string };
