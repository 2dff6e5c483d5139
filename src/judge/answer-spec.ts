import type * as z from 'zod';

/** What a judge's answer contributes to a result record. */
export interface Grade {
  score: number | null;
  pass: boolean | null;
  verdict: string | null;
  label: string | null;
  criteria: Record<string, number> | null;
  reasoning: string | null;
}

/**
 * How one judge mode asks for and reads an answer. Adding a mode (pairwise, classify, criteria)
 * means adding one of these; the client, retries and sinks do not change.
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
}
