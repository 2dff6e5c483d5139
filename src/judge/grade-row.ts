import type OpenAI from 'openai';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { RowFields } from '../dataset/types.js';
import type { RequestDialect } from '../dialect/params.js';
import type { ChatMessage } from '../prompt/template.js';
import type { ErrorCode, ResultRecord, Usage } from '../results/record.js';
import { responseFormatIgnored } from '../dialect/structured-outputs.js';
import { unusualFinishReason } from '../dialect/finish-reason.js';
import type { RequestGate } from '../scheduler/request-gate.js';
import { AttemptFailure, type RetryNotice } from '../scheduler/with-retries.js';
import type { BackoffOptions } from '../scheduler/backoff.js';
import type { AnswerSpec, Grade } from './answer-spec.js';
import type { JsonSchemaResponseFormat } from './json-schema.js';
import { readCompletion, reasoningStarved } from './read-completion.js';
import { sendWithRetries, structuredOutputsOff, usageOf, type RoundTrip } from './send-completion.js';
import { BudgetExhaustedError, type CostBudget } from '../scheduler/cost-budget.js';
import type { Sample, ScoringMethod } from '../results/record.js';
import { logprobGrade, type LogprobScoring } from './logprob-score.js';
import { unswap } from './modes/pairwise.js';
import type { ResponseCache } from '../cache/response-cache.js';
import { buildRecord } from '../results/build-record.js';

/** One request of a row: its rendered prompt, which repeat it is, and (pairwise) the order shown. */
export interface Ask {
  messages: ChatMessage[];
  /** 1..k (`--repeat k`). */
  repeat: number;
  /** Pairwise: "AB" as the dataset has the pair, "BA" swapped; else null. */
  order: 'AB' | 'BA' | null;
}

/** One row to grade: its id, its fields, and the requests that judge it (one, or several). */
export interface RowJob {
  id: string;
  fields: RowFields;
  asks: Ask[];
}

/** Whether the server takes structured outputs; shared by a run's rows, switched off at most once. */
export interface StructuredOutputState {
  enabled: boolean;
  /** An answer came back as the schema asked: the server honours it, so later prose is a bad answer, not a sign it ignores response_format. */
  honoured?: boolean;
}

/** Everything gradeRow needs besides the row; one per run. */
export interface GradeContext {
  client: OpenAI;
  spec: AnswerSpec;
  /** `scoring: logprobs`: ask for token logprobs and weight the score by them (G-Eval). */
  logprobs?: LogprobScoring;
  /** The spec's strict response format, built once per run (toResponseFormat). */
  responseFormat: JsonSchemaResponseFormat;
  judge: ResultRecord['judge'];
  /** What each request sends (temperature, reasoning effort, token limit), adapted to the server as the run learns. */
  dialect: RequestDialect;
  timeoutMs: number;
  maxRetries: number;
  backoff: BackoffOptions;
  structured: StructuredOutputState;
  signal: AbortSignal;
  now: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Every request waits here before it is sent: the run's rate budget, 429 cooldown and adaptive
   * concurrency. Without one, requests go as soon as a row is dispatched.
   */
  gate?: RequestGate;
  /** An HTTP request is about to be sent, charged `tokens` against the token budget. */
  onRequest?: (request: { tokens: number }) => void;
  /** A 429 came back (whether or not it will be retried). */
  onRateLimited?: () => void;
  onRetry?: (notice: RetryNotice) => void;
  /** The server refused structured outputs; answers are read from plain text from now on. */
  onStructuredOutputsOff?: () => void;
  /** --max-cost: every request holds its worst-case cost before it is sent. */
  budget?: CostBudget;
  /** The budget cannot pay for the next request: the run should stop starting rows. */
  onBudgetExhausted?: (error: BudgetExhaustedError) => void;
  /** Answers kept from earlier runs (src/cache), asked before a request goes out; absent: off. */
  cache?: ResponseCache;
}

/** The run must stop: a failure no other row can get past (bad key, no quota). */
export class RunStopError extends Error {
  override name = 'RunStopError';
  /** Tokens the row had spent when it stopped: billed, though no record will hold them. */
  usage?: Usage;
  /** A panel's row: the same tokens by the model that spent them, so each is priced as its own. */
  usageByModel?: Map<string, Usage>;
  constructor(readonly code: ErrorCode, message: string, readonly hint: string) {
    super(message);
  }
}

/** The run was cancelled while this row was in flight; the row has no record. */
export class RowCancelledError extends Error {
  override name = 'RowCancelledError';
  /** Tokens the row had spent when it was cancelled: billed, though no record will hold them. */
  usage?: Usage;
  /** A panel's row: the same tokens by the model that spent them. */
  usageByModel?: Map<string, Usage>;
}

/**
 * Grades one row: sends each of its asks (with retries; concurrently, the gate bounding requests in
 * flight), reads the answers, re-asks once when an answer is unusable, and returns the row's record.
 * Several asks fold into one grade by the mode's rule; a row whose ask failed is an error record
 * that keeps the samples that did come back. Throws RunStopError or RowCancelledError when the
 * whole run must end.
 */
export async function gradeRow(job: RowJob, ctx: GradeContext): Promise<ResultRecord> {
  const tally: Tally = { attempts: 0, hits: 0, usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 } };
  // Per ask: the time its answered requests took there and back, and all the time it took (the rest
  // is waiting: the rate gate, backoff between retries, failed attempts).
  const timings = job.asks.map(() => ({ trip: { ms: 0 }, elapsedMs: 0 }));
  const outcomes = await Promise.allSettled(
    job.asks.map(async (ask, i) => {
      const askStarted = ctx.now();
      try {
        return await judgeOnce(ask.messages, ctx, tally, ask, timings[i]!.trip);
      } finally {
        timings[i]!.elapsedMs = ctx.now() - askStarted;
      }
    }),
  );
  // A run-wide failure outranks a cancellation, which outranks anything else unexpected.
  const failures = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
  const fatal = failures.find((e) => e instanceof RunStopError) ?? failures.find((e) => e instanceof RowCancelledError) ?? failures[0];
  if (fatal !== undefined) {
    // The answers that did come back were paid for: the run's token count must still see them.
    if (fatal instanceof RunStopError || fatal instanceof RowCancelledError) fatal.usage = tally.usage;
    throw fatal;
  }

  const answers = outcomes.map((o) => (o as PromiseFulfilledResult<Answer>).value);
  const samples: Sample[] = [];
  answers.forEach((answer, i) => {
    const ask = job.asks[i]!;
    if (answer.ok) samples.push({ repeat: ask.repeat, order: ask.order, ...answer.grade, verdict: unswap(answer.grade.verdict, ask.order) });
  });
  const scoring: ScoringMethod = ctx.logprobs ? 'logprobs' : 'answer';
  const row = { id: job.id, fields: job.fields, judge: ctx.judge };
  const spend = {
    attempts: tally.attempts,
    latencyMs: Math.round(timings.reduce((sum, timing) => sum + timing.trip.ms, 0)),
    waitMs: Math.round(timings.reduce((sum, timing) => sum + Math.max(0, timing.elapsedMs - timing.trip.ms), 0)),
    // Every answer came from the response cache: nothing was sent for this row, nor paid.
    cached: tally.hits > 0 && tally.hits === tally.attempts,
    usage: tally.usage,
    finishReason: tally.finishReason,
  };
  const failed = answers.find((answer): answer is Extract<Answer, { ok: false }> => !answer.ok);
  if (failed) return buildRecord(row, { error: failed.error, samples: job.asks.length > 1 && samples.length > 0 ? samples : null }, spend);
  if (samples.length === 1) {
    const { repeat: _repeat, order: _order, ...grade } = samples[0]!;
    return buildRecord(row, { grade, scoring }, spend);
  }
  const combined = ctx.spec.combine(samples);
  return buildRecord(row, { grade: combined.grade, scoring, samples, agreement: combined.agreement, flipped: combined.flipped }, spend);
}

/** Attempts and tokens of every request a row sent, re-asks and retries included. */
interface Tally {
  attempts: number;
  /** Attempts answered from the response cache. */
  hits: number;
  usage: Usage;
  /** The first finish_reason no server documents, kept in the record (issue 13). */
  finishReason?: string;
}

type Answer = { ok: true; grade: Grade } | { ok: false; error: NonNullable<ResultRecord['error']> };

/**
 * One judgement: send (with retries), read, and re-ask once when the answer cannot be used. An
 * answer whose reasoning used the whole budget is asked again with a larger one (twice at most),
 * which does not use up the re-ask.
 */
async function judgeOnce(firstMessages: ChatMessage[], ctx: GradeContext, tally: Tally, sample: Pick<Ask, 'repeat' | 'order'>, trip: RoundTrip): Promise<Answer> {
  let messages = firstMessages;
  let lastProblem: { code: ErrorCode; message: string } | undefined;
  let limit = ctx.dialect.completionLimit();
  let starvedReasks = 0;
  for (let ask = 0; ask < 2; ask++) {
    let completion: ChatCompletion;
    try {
      completion = await sendWithRetries(messages, ctx, () => tally.attempts++, limit, sample, trip);
    } catch (error) {
      if (!(error instanceof AttemptFailure)) throw error;
      const decision = error.decision;
      if (error.cause instanceof BudgetExhaustedError) {
        ctx.onBudgetExhausted?.(error.cause);
        throw new RowCancelledError('over budget');
      }
      if (decision.action === 'abort') throw new RowCancelledError('cancelled');
      if (decision.action === 'stop-run') throw new RunStopError(decision.code, decision.message, decision.hint);
      return { ok: false, error: { code: decision.code, message: decision.message } };
    }
    addUsage(tally.usage, completion);
    tally.finishReason ??= unusualFinishReason(completion.choices?.[0]?.finish_reason);
    if (ctx.cache?.isHit(completion)) tally.hits++;
    const reading = readCompletion(completion, ctx.spec);
    if (reading.ok) {
      if (ctx.structured.enabled) ctx.structured.honoured = true;
      // Only an answer that read as a grade is kept for later runs.
      if (!ctx.logprobs) return kept(ctx, completion, { ok: true, grade: reading.grade });
      const weighted = logprobGrade(completion, reading.grade, ctx.logprobs);
      if (weighted.ok) return kept(ctx, completion, { ok: true, grade: weighted.grade });
      if (weighted.missing) {
        // Every later answer would lack them too: stop now rather than pay for a run of errors.
        throw new RunStopError(
          'logprobs_unavailable',
          `${weighted.message}, and scoring: logprobs needs them`,
          'this server or model does not return logprobs; use scoring: answer, or a model that returns them',
        );
      }
      return { ok: false, error: { code: 'unparseable_answer', message: weighted.message } };
    }
    lastProblem = { code: reading.code, message: reading.message };
    if (reading.code === 'truncated' && reasoningStarved(completion)) {
      const larger = starvedReasks < MAX_STARVED_REASKS ? ctx.dialect.starvedLimit(limit) : undefined;
      // Asking again with the same budget would only pay for the same reasoning again.
      if (larger === undefined) break;
      // The model thought until the budget ran out and never answered: the same question, more room.
      ctx.dialect.noteStarved();
      limit = larger;
      starvedReasks++;
      ask--;
      continue;
    }
    if (reading.code === 'unparseable_answer' && reading.content) {
      // Prose under a strict schema from a server that has not yet answered in it: the server
      // ignores response_format; ask in text from now on.
      if (!ctx.structured.honoured && responseFormatIgnored(reading.content)) structuredOutputsOff(ctx);
      // Show the judge its own answer and what was wrong with it, rather than asking blind.
      messages = [
        ...firstMessages,
        { role: 'assistant', content: reading.content },
        { role: 'user', content: `Your answer could not be read (${reading.message}). Answer again, in the required format.` },
      ];
    }
  }
  return { ok: false, error: lastProblem ?? { code: 'unparseable_answer', message: 'no usable answer' } };
}

/** Stores a usable answer in the response cache (when it went out and may be cached), then gives it back. */
async function kept(ctx: GradeContext, completion: ChatCompletion, answer: Answer): Promise<Answer> {
  await ctx.cache?.keep(completion);
  return answer;
}

/** Re-asks of one judgement whose reasoning used the whole budget, each with a larger one. */
const MAX_STARVED_REASKS = 2;

function addUsage(total: Usage, completion: ChatCompletion): void {
  const usage = usageOf(completion);
  total.prompt_tokens += usage.prompt_tokens;
  total.completion_tokens += usage.completion_tokens;
  total.cached_tokens += usage.cached_tokens;
  total.reasoning_tokens = (total.reasoning_tokens ?? 0) + (usage.reasoning_tokens ?? 0);
}
