import type { RowFields } from '../dataset/types.js';
import type { GradeFields, RecordError, ResultRecord, Sample, ScoringMethod, Usage } from './record.js';

/** What judging a row came to: a grade (from one answer, or several combined), or the error that ended it. */
export type RowOutcome =
  | { grade: GradeFields; scoring: ScoringMethod; samples?: Sample[] | null; agreement?: number | null; flipped?: boolean | null }
  | { error: RecordError; samples?: Sample[] | null };

/** What judging a row took: requests, time, tokens, and whether the answers came from the cache. */
export interface RowSpend {
  attempts: number;
  /** The answers' round trips: from each answered request leaving to its answer back. */
  latencyMs: number;
  /** The rest of the row's time: at the rate gate, between retries, on attempts that failed. */
  waitMs: number;
  usage: Usage;
  /** Every answer came from the response cache. */
  cached?: boolean;
  /** A finish_reason no server documents (src/dialect/finish-reason.ts). */
  finishReason?: string;
}

const NO_GRADE: GradeFields = { score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null };

/**
 * The record of a row: the one way run (gradeRow) and batch (batchRecord) build one, so that both
 * hold the same fields and leave out the optional ones (`cached`, `finish_reason`) the same way.
 */
export function buildRecord(row: { id: string; fields: RowFields; judge: ResultRecord['judge'] }, outcome: RowOutcome, spend: RowSpend): ResultRecord {
  const graded = 'grade' in outcome;
  return {
    id: row.id,
    ...(graded ? outcome.grade : NO_GRADE),
    samples: outcome.samples ?? null,
    agreement: graded ? (outcome.agreement ?? null) : null,
    flipped: graded ? (outcome.flipped ?? null) : null,
    scoring: graded ? outcome.scoring : null,
    error: graded ? null : outcome.error,
    judge: row.judge,
    attempts: spend.attempts,
    latency_ms: spend.latencyMs,
    wait_ms: spend.waitMs,
    ...(spend.cached ? { cached: true } : {}),
    usage: spend.usage,
    ...(spend.finishReason === undefined ? {} : { finish_reason: spend.finishReason }),
    row: row.fields,
  };
}
