import * as z from 'zod';

/** Why a row ended without a grade. Codes are stable: scripts and `--resume` rely on them. */
export const ErrorCode = z.enum([
  'rate_limited',
  'timeout',
  'server_error',
  'connection_error',
  'bad_request',
  'not_found',
  'request_too_large',
  'unparseable_answer',
  'truncated',
  'refused',
  'auth_error',
  'permission_denied',
  'insufficient_quota',
  'unknown_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const RecordError = z.object({ code: ErrorCode, message: z.string() });
export type RecordError = z.infer<typeof RecordError>;

export const Usage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative(),
});
export type Usage = z.infer<typeof Usage>;

/** One graded row, as written to the results file (SPEC.md "Results"). */
export const ResultRecord = z.object({
  id: z.string(),
  score: z.number().nullable(),
  pass: z.boolean().nullable(),
  verdict: z.string().nullable(),
  label: z.string().nullable(),
  criteria: z.record(z.string(), z.number()).nullable(),
  reasoning: z.string().nullable(),
  error: RecordError.nullable(),
  judge: z.object({ model: z.string(), prompt: z.string(), prompt_sha: z.string() }),
  attempts: z.number().int().nonnegative(),
  latency_ms: z.number().int().nonnegative(),
  usage: Usage,
  row: z.record(z.string(), z.unknown()),
});
export type ResultRecord = z.infer<typeof ResultRecord>;

/** The record fields in the order they are written (JSONL key order, CSV column order). */
export const RECORD_KEYS = [
  'id',
  'score',
  'pass',
  'verdict',
  'label',
  'criteria',
  'reasoning',
  'error',
  'judge',
  'attempts',
  'latency_ms',
  'usage',
  'row',
] as const satisfies readonly (keyof ResultRecord)[];
