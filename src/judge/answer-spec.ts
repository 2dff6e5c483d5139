import type * as z from 'zod';
import type { GradeFields, Sample } from '../results/record.js';

/** What a judge's answer contributes to a result record. */
export type Grade = GradeFields;

/** A row's answers folded into one grade (`--repeat`, both orders of a pair). */
export interface Combined {
  grade: Grade;
  /** Share of the samples that gave the most common answer (1 = unanimous). */
  agreement: number;
  /** Pairwise judged in both orders: whether an order swap changed the verdict; else null. */
  flipped: boolean | null;
}

/**
 * How one judge mode asks for and reads an answer. Adding a mode means adding one of these; the
 * client, retries and sinks do not change.
 */
export interface AnswerSpec<Answer = unknown> {
  /** Names the response_format schema (`[a-zA-Z0-9_-]`, ≤ 64 chars). */
  readonly schemaName: string;
  /** The answer's shape; a value outside it is a parse failure, never a default. */
  readonly schema: z.ZodType<Answer>;
  /** Appended to the last user message when the server has no structured outputs. */
  readonly textInstruction: string;
  /** Reads a plain-text answer (`Score: 4`); the last match wins. Null when none fits. */
  readTextAnswer(text: string): unknown;
  /** Maps a valid answer to the record's fields. */
  toGrade(answer: Answer): Grade;
  /**
   * Folds two or more samples of one row (verdicts already in the dataset's order) into the row's
   * grade: the mean score and the majority verdict, as the mode defines them.
   */
  combine(samples: Sample[]): Combined;
}

/** The most common value (the first to reach the top count wins a tie) and how many gave it. */
export function majority<T>(values: readonly T[]): { value: T; count: number } {
  const counts = new Map<T, number>();
  let best: { value: T; count: number } | undefined;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (!best || count > best.count) best = { value, count };
  }
  if (!best) throw new Error('majority of no values');
  return best;
}

/** The mean of the non-null numbers, or null when there are none. */
export function meanOf(values: readonly (number | null)[]): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((sum, v) => sum + v, 0) / present.length;
}
