import type OpenAI from 'openai';
import { APIError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { RowFields } from '../dataset/types.js';
import type { ChatMessage } from '../prompt/template.js';
import type { ErrorCode, ResultRecord, Usage } from '../results/record.js';
import { checkChatCompletion } from '../dialect/completion-shape.js';
import { responseFormatIgnored } from '../dialect/structured-outputs.js';
import { classifyError } from '../scheduler/classify.js';
import { gateFailureOf } from '../scheduler/gate-outcome.js';
import type { RequestGate } from '../scheduler/request-gate.js';
import { AttemptFailure, withRetries, type RetryNotice } from '../scheduler/with-retries.js';
import type { BackoffOptions } from '../scheduler/backoff.js';
import type { AnswerSpec, Grade } from './answer-spec.js';
import { estimatePromptTokens, estimateRequestTokens } from './estimate-tokens.js';
import type { JsonSchemaResponseFormat } from './json-schema.js';
import { readCompletion } from './read-completion.js';
import { BudgetExhaustedError, type CostBudget } from '../scheduler/cost-budget.js';
import type { Sample, ScoringMethod } from '../results/record.js';
import { logprobGrade, type LogprobScoring } from './logprob-score.js';
import { unswap } from './modes/pairwise.js';

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
  temperature: number;
  maxTokens: number;
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
}

/** The run must stop: a failure no other row can get past (bad key, no quota). */
export class RunStopError extends Error {
  override name = 'RunStopError';
  /** Tokens the row had spent when it stopped: billed, though no record will hold them. */
  usage?: Usage;
  constructor(readonly code: ErrorCode, message: string, readonly hint: string) {
    super(message);
  }
}

/** The run was cancelled while this row was in flight; the row has no record. */
export class RowCancelledError extends Error {
  override name = 'RowCancelledError';
  /** Tokens the row had spent when it was cancelled: billed, though no record will hold them. */
  usage?: Usage;
}

/**
 * Grades one row: sends each of its asks (with retries; concurrently, the gate bounding requests in
 * flight), reads the answers, re-asks once when an answer is unusable, and returns the row's record.
 * Several asks fold into one grade by the mode's rule; a row whose ask failed is an error record
 * that keeps the samples that did come back. Throws RunStopError or RowCancelledError when the
 * whole run must end.
 */
export async function gradeRow(job: RowJob, ctx: GradeContext): Promise<ResultRecord> {
  const started = ctx.now();
  const tally: Tally = { attempts: 0, usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 } };
  const outcomes = await Promise.allSettled(job.asks.map((ask) => judgeOnce(ask.messages, ctx, tally)));
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
  const base = {
    id: job.id,
    judge: ctx.judge,
    attempts: tally.attempts,
    latency_ms: Math.max(0, Math.round(ctx.now() - started)),
    usage: tally.usage,
    row: job.fields,
  };
  const failed = answers.find((answer): answer is Extract<Answer, { ok: false }> => !answer.ok);
  if (failed) {
    return {
      ...base,
      ...NO_GRADE,
      samples: job.asks.length > 1 && samples.length > 0 ? samples : null,
      agreement: null,
      flipped: null,
      scoring: null,
      error: failed.error,
    };
  }
  if (samples.length === 1) {
    const { repeat: _repeat, order: _order, ...grade } = samples[0]!;
    return { ...base, ...grade, samples: null, agreement: null, flipped: null, scoring, error: null };
  }
  const combined = ctx.spec.combine(samples);
  return { ...base, ...combined.grade, samples, agreement: combined.agreement, flipped: combined.flipped, scoring, error: null };
}

const NO_GRADE: Grade = { score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null };

/** Attempts and tokens of every request a row sent, re-asks and retries included. */
interface Tally {
  attempts: number;
  usage: Usage;
}

type Answer = { ok: true; grade: Grade } | { ok: false; error: NonNullable<ResultRecord['error']> };

/** One judgement: send (with retries), read, and re-ask once when the answer cannot be used. */
async function judgeOnce(firstMessages: ChatMessage[], ctx: GradeContext, tally: Tally): Promise<Answer> {
  let messages = firstMessages;
  let lastProblem: { code: ErrorCode; message: string } | undefined;
  for (let ask = 0; ask < 2; ask++) {
    let completion: ChatCompletion;
    try {
      completion = await sendWithRetries(messages, ctx, () => tally.attempts++);
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
    const reading = readCompletion(completion, ctx.spec);
    if (reading.ok) {
      if (!ctx.logprobs) return { ok: true, grade: reading.grade };
      const weighted = logprobGrade(completion, reading.grade, ctx.logprobs);
      if (weighted.ok) return { ok: true, grade: weighted.grade };
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
    if (reading.code === 'unparseable_answer' && reading.content) {
      // Prose under a strict schema: the server ignores response_format; ask in text from now on.
      if (ctx.structured.enabled && responseFormatIgnored(reading.content)) {
        ctx.structured.enabled = false;
        ctx.onStructuredOutputsOff?.();
      }
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

async function sendWithRetries(messages: ChatMessage[], ctx: GradeContext, countAttempt: () => void): Promise<ChatCompletion> {
  return withRetries(
    async () => {
      try {
        return await send(messages, ctx, countAttempt);
      } catch (error) {
        if (!isStructuredOutputUnsupported(error)) throw error;
        // The server has no structured outputs: ask in plain text from now on, for every row. Other
        // requests sent before the first refusal came back get the same 400, and ask again as text too.
        if (ctx.structured.enabled) {
          ctx.structured.enabled = false;
          ctx.onStructuredOutputsOff?.();
        }
        return send(messages, ctx, countAttempt);
      }
    },
    {
      maxRetries: ctx.maxRetries,
      backoff: ctx.backoff,
      signal: ctx.signal,
      sleep: ctx.sleep,
      onRetry: ctx.onRetry,
      // A 429 is waited out by the gate's cooldown, for every row at once: re-send it behind that.
      requeue: (decision) => decision.rateLimited && ctx.gate !== undefined,
      classify: (error) =>
        // Over budget is not the server's answer: the row waits for a run with more budget.
        error instanceof BudgetExhaustedError
          ? { action: 'abort', code: 'cancelled', message: error.message }
          : classifyError(error, {
          aborted: ctx.signal.aborted,
          estimatedTokens: estimateRequestTokens(messages, ctx.maxTokens),
        }),
    },
  );
}

async function send(messages: ChatMessage[], ctx: GradeContext, countAttempt: () => void): Promise<ChatCompletion> {
  const sent = ctx.structured.enabled ? messages : withTextInstruction(messages, ctx.spec.textInstruction);
  const params: ChatCompletionCreateParamsNonStreaming = {
    model: ctx.judge.model,
    messages: sent,
    temperature: ctx.temperature,
    max_completion_tokens: ctx.maxTokens,
  };
  if (ctx.structured.enabled) params.response_format = ctx.responseFormat;
  if (ctx.logprobs) {
    params.logprobs = true;
    params.top_logprobs = TOP_LOGPROBS;
  }
  const estimate = { promptTokens: estimatePromptTokens(sent), completionTokens: ctx.maxTokens };
  const hold = ctx.budget?.reserve(estimate.promptTokens, estimate.completionTokens);
  let ticket: Awaited<ReturnType<NonNullable<GradeContext['gate']>['acquire']>> | undefined;
  try {
    ticket = await ctx.gate?.acquire(estimate, ctx.signal);
  } catch (error) {
    hold?.release();
    throw error;
  }
  countAttempt();
  ctx.onRequest?.({ tokens: ticket?.tokens ?? estimate.promptTokens + estimate.completionTokens });
  try {
    const { data, response } = await ctx.client.chat.completions
      .create(params, { signal: ctx.signal, timeout: ctx.timeoutMs })
      .withResponse();
    checkChatCompletion(data, response.headers);
    ticket?.succeeded({ headers: response.headers, promptTokens: data.usage?.prompt_tokens });
    hold?.settle(usageOf(data));
    return data;
  } catch (error) {
    // An HTTP error answer is not billed; a request that timed out or was cut may have been.
    if (error instanceof APIError && error.status !== undefined) hold?.release();
    else hold?.forfeit();
    if (ticket) {
      const failure = gateFailureOf(error, { aborted: ctx.signal.aborted, estimatedTokens: ticket.tokens });
      if (failure) ticket.failed(failure);
      else ticket.release();
    }
    if (error instanceof APIError && error.status === 429) ctx.onRateLimited?.();
    throw error;
  }
}

/** The most alternatives the API gives per token: enough to cover any 1–10 scale. */
const TOP_LOGPROBS = 20;

function withTextInstruction(messages: ChatMessage[], instruction: string): ChatMessage[] {
  const lastUser = messages.findLastIndex((m) => m.role === 'user');
  return messages.map((m, i) => (i === lastUser ? { ...m, content: `${m.content}\n\n${instruction}` } : m));
}

/** A 400 about `response_format`: the server cannot do structured outputs. */
function isStructuredOutputUnsupported(error: unknown): boolean {
  return error instanceof APIError && error.status === 400 && error.param === 'response_format';
}

function usageOf(completion: ChatCompletion): Usage {
  return {
    prompt_tokens: completion.usage?.prompt_tokens ?? 0,
    completion_tokens: completion.usage?.completion_tokens ?? 0,
    cached_tokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
  };
}

function addUsage(total: Usage, completion: ChatCompletion): void {
  const usage = usageOf(completion);
  total.prompt_tokens += usage.prompt_tokens;
  total.completion_tokens += usage.completion_tokens;
  total.cached_tokens += usage.cached_tokens;
}
