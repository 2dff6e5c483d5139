import * as z from 'zod';
import { fieldType, inSchemaOrder } from './schema-fields.js';

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
  'logprobs_unavailable',
  'not_a_chat_completion',
  'unknown_error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const RecordError = z.object({ code: ErrorCode, message: z.string() });
export type RecordError = z.infer<typeof RecordError>;

export const Usage = z.object({
  prompt_tokens: z.number().int().nonnegative(),
  completion_tokens: z.number().int().nonnegative(),
  cached_tokens: z.number().int().nonnegative(),
  /** Tokens the model spent reasoning: a part of completion_tokens (and billed with them), never added to them. Absent from older files. */
  reasoning_tokens: z.number().int().nonnegative().optional(),
});
export type Usage = z.infer<typeof Usage>;

/** How a row's score was produced: read from the judge's answer, or weighted by its token probabilities (G-Eval). */
export const ScoringMethod = z.enum(['answer', 'logprobs']);
export type ScoringMethod = z.infer<typeof ScoringMethod>;

/** What a judge's answer says, as a record (and each of its samples) holds it. */
export const GradeFields = z.object({
  score: z.number().nullable(),
  pass: z.boolean().nullable(),
  verdict: z.string().nullable(),
  label: z.string().nullable(),
  criteria: z.record(z.string(), z.number()).nullable(),
  reasoning: z.string().nullable(),
});
export type GradeFields = z.infer<typeof GradeFields>;

/**
 * One judge answer of a row that was judged more than once (`--repeat`, both orders of a pair).
 * Verdicts are in the dataset's terms: "A" is always the row's first answer, whichever order it was shown in.
 */
export const Sample = z.object({
  /** 1..k, which repeat this answer belongs to. */
  repeat: z.number().int().positive(),
  /** Pairwise only: "AB" shown as in the dataset, "BA" swapped. */
  order: z.enum(['AB', 'BA']).nullable(),
  ...GradeFields.shape,
});
export type Sample = z.infer<typeof Sample>;

/** One repeat of a pairwise judgement: its verdict in each order that was judged (absent: not judged). */
export interface OrderedJudgement {
  repeat: number;
  AB?: string | null;
  BA?: string | null;
}

/** A pairwise record's samples grouped by repeat, each with its AB and BA verdicts; other samples are skipped. */
export function judgementsByRepeat(samples: readonly Sample[]): OrderedJudgement[] {
  const byRepeat = new Map<number, OrderedJudgement>();
  for (const sample of samples) {
    if (sample.order === null) continue;
    let judgement = byRepeat.get(sample.repeat);
    if (!judgement) byRepeat.set(sample.repeat, (judgement = { repeat: sample.repeat }));
    judgement[sample.order] = sample.verdict;
  }
  return [...byRepeat.values()];
}

/** Whether a judgement was made in both orders. */
export function judgedBothWays(judgement: OrderedJudgement): judgement is OrderedJudgement & { AB: string | null; BA: string | null } {
  return judgement.AB !== undefined && judgement.BA !== undefined;
}

/**
 * One judge's answer to a row graded by a panel (`--judge` given more than once, or `judges:` in
 * verdict.yaml): its grade, or the error that left it without one. A failed vote is kept, never
 * dropped, so a row decided by fewer judges says so.
 */
export const Vote = z.object({
  /** The judge's name: its model, with `@<base-url>` when two judges of the panel share a model. */
  judge: z.string(),
  ...GradeFields.shape,
  /**
   * This judge's own answers when it was asked more than once (both orders of a pair, --repeat),
   * its grade their fold as for one judge; absent otherwise. Each judge's flips and retries are read here.
   */
  samples: z.array(Sample).optional(),
  error: RecordError.nullable(),
  attempts: z.number().int().nonnegative(),
  usage: Usage,
  /** True when this judge's answers all came from the response cache; absent otherwise. */
  cached: z.boolean().optional(),
});
export type Vote = z.infer<typeof Vote>;

/** What one judge behind a record answered: its samples (empty when it was asked once), its verdict, and whether its orders disagreed. */
export interface JudgeAnswers {
  samples: readonly Sample[];
  verdict: string | null;
  /** Judged in both orders: whether the verdict changed with the order; null when not judged both ways. */
  flipped: boolean | null;
}

/**
 * The judges behind a record's grade: for a panel, each vote that answered (a failed vote has no
 * answers), its samples grouped apart from the others'; for one judge, the record itself.
 */
export function judgesBehind(record: Pick<ResultRecord, 'samples' | 'verdict' | 'flipped' | 'votes'>): JudgeAnswers[] {
  if (record.votes === undefined) return [{ samples: record.samples ?? [], verdict: record.verdict, flipped: record.flipped }];
  return record.votes.flatMap((vote) => (vote.error === null ? [{ samples: vote.samples ?? [], verdict: vote.verdict, flipped: flippedOf(vote.samples ?? []) }] : []));
}

/** Whether a judge that judged the pair in both orders changed its verdict with the order; null when it did not judge both. */
export function flippedOf(samples: readonly Sample[]): boolean | null {
  const pairs = judgementsByRepeat(samples).filter(judgedBothWays);
  return pairs.length === 0 ? null : pairs.some((pair) => pair.AB !== pair.BA);
}

/** How a panel's votes become the row's grade: the most common answer, or the mean or median score. */
export const PanelAggregate = z.enum(['majority', 'mean', 'median']);
export type PanelAggregate = z.infer<typeof PanelAggregate>;

/**
 * One graded row, as written to the results file (SPEC.md "Results"): the one record contract. Its
 * field order is the order every writer uses (JSONL keys, CSV columns: src/results/csv-columns.ts),
 * and every reader checks records against it. Build records with buildRecord (build-record.ts).
 */
export const ResultRecord = z.object({
  id: z.string(),
  ...GradeFields.shape,
  /** Every answer behind the aggregate, when the row was judged more than once; else null. */
  samples: z.array(Sample).nullable().default(null),
  /** Share of the samples that gave the row's most common answer (1 = unanimous); null for one sample. */
  agreement: z.number().min(0).max(1).nullable().default(null),
  /** Pairwise judged in both orders: whether the two orders disagreed (the verdict is then a tie). */
  flipped: z.boolean().nullable().default(null),
  /** Which method produced `score`; null for a row without one. Absent from files older than it. */
  scoring: ScoringMethod.nullable().default(null),
  error: RecordError.nullable(),
  judge: z.object({
    model: z.string(),
    prompt: z.string(),
    prompt_sha: z.string(),
    /** The reasoning_effort asked of the judge; absent when none was set (the model's default). */
    reasoning_effort: z.string().optional(),
  }),
  attempts: z.number().int().nonnegative(),
  /** The answers' round trips, in ms: from each answered request leaving to its answer back. */
  latency_ms: z.number().int().nonnegative(),
  /**
   * The rest of the row's time, in ms: waiting at the rate gate, between retries and on attempts
   * that failed. Absent from files written before it was kept apart from latency_ms.
   */
  wait_ms: z.number().int().nonnegative().optional(),
  /**
   * True when every answer of the row came from the response cache: nothing was sent or paid for it,
   * and `attempts` and `usage` describe the answers as they were first got. Written only when true
   * (absent otherwise, and from older files), so results of runs without the cache are unchanged.
   */
  cached: z.boolean().optional(),
  usage: Usage,
  /**
   * A panel's row: every judge's vote, in the order the judges were named; the record's grade is
   * their aggregate over the votes without error, and its error is set only when every vote failed.
   * `attempts` and `usage` are the sums over the votes. Absent for a run with one judge.
   */
  votes: z.array(Vote).optional(),
  /**
   * A finish_reason no server documents (src/dialect/finish-reason.ts), as the server sent it; absent
   * for the usual ones (stop, length, eos, …), so files keep their shape. Not a CSV column.
   */
  finish_reason: z.string().optional(),
  row: z.record(z.string(), z.unknown()),
});
export type ResultRecord = z.infer<typeof ResultRecord>;

/**
 * Retries behind a record: its attempts beyond one per ask. A row judged several times (repeats,
 * both orders of a pair) makes one request per sample before any retry; a failed row that kept no
 * samples is taken as one ask. Re-asks after an unusable answer count as retries.
 */
/** No tokens yet. */
export function emptyUsage(): Usage {
  return { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 };
}

/** Adds `spent` into `total` (reasoning tokens too, which older files lack). */
export function addUsageInto(total: Usage, spent: Usage): void {
  total.prompt_tokens += spent.prompt_tokens;
  total.completion_tokens += spent.completion_tokens;
  total.cached_tokens += spent.cached_tokens;
  total.reasoning_tokens = (total.reasoning_tokens ?? 0) + (spent.reasoning_tokens ?? 0);
}

/** The requests a record's answers took at the server: none for a row answered from the response cache. */
export function requestsOf(record: Pick<ResultRecord, 'attempts' | 'cached'> & { votes?: readonly Pick<Vote, 'attempts' | 'cached'>[] }): number {
  // A panel's row may have some judges' answers from the cache and others sent.
  if (record.votes) return record.votes.reduce((sum, vote) => sum + requestsOf({ attempts: vote.attempts, cached: vote.cached }), 0);
  return record.cached === true ? 0 : record.attempts;
}

export function retriesOf(record: Pick<ResultRecord, 'attempts' | 'samples'> & { votes?: readonly Pick<Vote, 'attempts' | 'samples'>[] }): number {
  // A panel's asks are each judge's: its attempts beyond its own asks.
  if (record.votes) return record.votes.reduce((sum, vote) => sum + retriesOf({ attempts: vote.attempts, samples: vote.samples ?? null }), 0);
  const asks = Math.max(1, record.samples?.length ?? 1);
  return Math.max(0, record.attempts - asks);
}

/**
 * A record as it is written, by every writer: keys in schema order at every depth, `cached` only when
 * true, and reasoning_tokens 0 when absent (files older than reasoning judges; every reader counts it so).
 */
export function writtenRecord(record: ResultRecord): ResultRecord {
  const usage = { ...record.usage, reasoning_tokens: record.usage.reasoning_tokens ?? 0 };
  return inSchemaOrder(ResultRecord, { ...record, usage }) as ResultRecord;
}

/** The keys every written record has, in the order they are written (JSONL key order); optional ones are left out. */
export const RECORD_KEYS = Object.entries(ResultRecord.shape)
  .filter(([, field]) => !fieldType(field).optional)
  .map(([key]) => key as keyof ResultRecord);
