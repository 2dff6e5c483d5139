import type OpenAI from 'openai';
import { APIError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { RowFields } from '../dataset/types.js';
import type { ChatMessage } from '../prompt/template.js';
import type { ErrorCode, ResultRecord, Usage } from '../results/record.js';
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

/** One row to grade: its id, its fields, and the rendered prompt. */
export interface RowJob {
  id: string;
  fields: RowFields;
  messages: ChatMessage[];
}

/** Whether the server takes structured outputs; shared by a run's rows, switched off at most once. */
export interface StructuredOutputState {
  enabled: boolean;
}

/** Everything gradeRow needs besides the row; one per run. */
export interface GradeContext {
  client: OpenAI;
  spec: AnswerSpec;
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
  constructor(readonly code: ErrorCode, message: string, readonly hint: string) {
    super(message);
  }
}

/** The run was cancelled while this row was in flight; the row has no record. */
export class RowCancelledError extends Error {
  override name = 'RowCancelledError';
}

/**
 * Grades one row: sends it (with retries), reads the answer, re-asks once when the answer is
 * unusable, and returns its record; a row's failure becomes an error record. Throws RunStopError
 * or RowCancelledError when the whole run must end.
 */
export async function gradeRow(job: RowJob, ctx: GradeContext): Promise<ResultRecord> {
  const started = ctx.now();
  const usage: Usage = { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 };
  let attempts = 0;
  const finish = (grade: Grade | null, error: ResultRecord['error']): ResultRecord => ({
    id: job.id,
    score: grade?.score ?? null,
    pass: grade?.pass ?? null,
    verdict: grade?.verdict ?? null,
    label: grade?.label ?? null,
    criteria: grade?.criteria ?? null,
    reasoning: grade?.reasoning ?? null,
    samples: null,
    agreement: null,
    flipped: null,
    scoring: grade ? 'answer' : null,
    error,
    judge: ctx.judge,
    attempts,
    latency_ms: Math.max(0, Math.round(ctx.now() - started)),
    usage,
    row: job.fields,
  });

  let messages = job.messages;
  let lastProblem: { code: ErrorCode; message: string } | undefined;
  // The first ask, then one re-ask when the answer cannot be used.
  for (let ask = 0; ask < 2; ask++) {
    let completion: ChatCompletion;
    try {
      completion = await sendWithRetries(messages, ctx, () => attempts++);
    } catch (error) {
      const decision = (error as AttemptFailure).decision;
      if (!(error instanceof AttemptFailure)) throw error;
      if ((error as AttemptFailure).cause instanceof BudgetExhaustedError) {
        ctx.onBudgetExhausted?.((error as AttemptFailure).cause as BudgetExhaustedError);
        throw new RowCancelledError('over budget');
      }
      if (decision.action === 'abort') throw new RowCancelledError('cancelled');
      if (decision.action === 'stop-run') throw new RunStopError(decision.code, decision.message, decision.hint);
      return finish(null, { code: decision.code, message: decision.message });
    }
    addUsage(usage, completion);
    const reading = readCompletion(completion, ctx.spec);
    if (reading.ok) return finish(reading.grade, null);
    lastProblem = { code: reading.code, message: reading.message };
    if (reading.code === 'unparseable_answer' && reading.content) {
      // Show the judge its own answer and what was wrong with it, rather than asking blind.
      messages = [
        ...job.messages,
        { role: 'assistant', content: reading.content },
        { role: 'user', content: `Your answer could not be read (${reading.message}). Answer again, in the required format.` },
      ];
    }
  }
  return finish(null, lastProblem ?? { code: 'unparseable_answer', message: 'no usable answer' });
}

async function sendWithRetries(messages: ChatMessage[], ctx: GradeContext, countAttempt: () => void): Promise<ChatCompletion> {
  return withRetries(
    async () => {
      try {
        return await send(messages, ctx, countAttempt);
      } catch (error) {
        if (!isStructuredOutputUnsupported(error) || !ctx.structured.enabled) throw error;
        // The server has no structured outputs: ask in plain text from now on, for every row.
        ctx.structured.enabled = false;
        ctx.onStructuredOutputsOff?.();
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
