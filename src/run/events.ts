import type { ResultRecord } from '../results/record.js';
import type { GateState, WaitReason } from '../scheduler/request-gate.js';
import type { RetryNotice } from '../scheduler/with-retries.js';

/** What a run reports while it works; the CLI turns these into a progress bar or log lines. */
export type RunEvent =
  | { type: 'start'; rows: number; alreadyGraded: number; model: string; prompt: string; concurrency: number }
  | { type: 'note'; message: string }
  /** A request is being sent, charged `tokens` against the token budget. */
  | { type: 'request'; tokens?: number }
  /** Dispatch began waiting for the rate budget, or a 429 paused every request, for about `ms`. */
  | { type: 'waiting'; reason: WaitReason; ms: number; why?: string }
  /** The limits paced to, or the concurrency allowed, changed. */
  | ({ type: 'limits' } & GateState)
  | { type: 'rate-limited' }
  | { type: 'retry'; rowId: string; notice: RetryNotice }
  | { type: 'row'; record: ResultRecord }
  | { type: 'structured-outputs-off' }
  | { type: 'stopping'; reason: 'fatal' | 'cancelled' | 'budget'; message: string };
