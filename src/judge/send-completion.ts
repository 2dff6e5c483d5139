import { APIError } from 'openai';
import type { ChatCompletion, ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { SamplingParams } from '../dialect/params.js';
import type { ChatMessage } from '../prompt/template.js';
import type { Usage } from '../results/record.js';
import { classifyError } from '../scheduler/classify.js';
import { BudgetExhaustedError } from '../scheduler/cost-budget.js';
import { gateFailureOf } from '../scheduler/gate-outcome.js';
import { withRetries } from '../scheduler/with-retries.js';
import { checkChatCompletion } from '../dialect/completion-shape.js';
import { refusedParametersOf } from '../dialect/refused-parameter.js';
import { estimatePromptTokens, estimateRequestTokens } from './estimate-tokens.js';
import type { SampleSlot } from '../cache/key.js';
import type { GradeContext } from './grade-row.js';

/** The most times one attempt is re-sent after the server refused a parameter: each adapts at most once a run. */
const MAX_ADAPTATIONS = 4;

/** Time a judgement's answered requests spent between leaving and their answer coming back, in ms. */
export interface RoundTrip {
  ms: number;
}

/**
 * Sends one request (with retries), allowed `limit` completion tokens. A request the server
 * refused for a parameter it does not take (structured outputs, temperature, the token limit's
 * name) is adapted for the whole run and sent again, not counted as the row's error.
 */
export async function sendWithRetries(
  messages: ChatMessage[],
  ctx: GradeContext,
  countAttempt: () => void,
  limit: number,
  sample: SampleSlot,
  trip: RoundTrip,
): Promise<ChatCompletion> {
  return withRetries(
    async () => {
      for (let adapted = 0; ; adapted++) {
        const sampling = ctx.dialect.params(limit);
        try {
          return await send(messages, ctx, countAttempt, sampling, sample, trip);
        } catch (error) {
          if (adapted >= MAX_ADAPTATIONS) throw error;
          if (isStructuredOutputUnsupported(error)) {
            // The server has no structured outputs: ask in plain text from now on, for every row. Other
            // requests sent before the first refusal came back get the same 400, and ask again as text too.
            structuredOutputsOff(ctx);
            continue;
          }
          if (!ctx.dialect.adaptToRefusal(refusedParametersOf(error), sampling, refusalDetail(error))) throw error;
        }
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
          estimatedTokens: estimateRequestTokens(messages, limit),
        }),
    },
  );
}

async function send(messages: ChatMessage[], ctx: GradeContext, countAttempt: () => void, sampling: SamplingParams, sample: SampleSlot, trip: RoundTrip): Promise<ChatCompletion> {
  const sent = ctx.structured.enabled ? messages : withTextInstruction(messages, ctx.spec.textInstruction);
  const params: ChatCompletionCreateParamsNonStreaming = { model: ctx.judge.model, messages: sent, ...sampling };
  if (ctx.structured.enabled) params.response_format = ctx.responseFormat;
  if (ctx.logprobs) {
    params.logprobs = true;
    params.top_logprobs = TOP_LOGPROBS;
  }
  // The response cache is asked first: a hit takes no rate budget, no concurrency slot and no money.
  const cached = await ctx.cache?.lookup(params, sample);
  if (cached?.hit) {
    countAttempt();
    return cached.hit;
  }
  const limit = sampling.max_completion_tokens ?? sampling.max_tokens ?? 0;
  const estimate = { promptTokens: estimatePromptTokens(sent), completionTokens: limit };
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
    const sentAt = ctx.now();
    const { data, response } = await ctx.client.chat.completions
      .create(params, { signal: ctx.signal, timeout: ctx.timeoutMs })
      .withResponse();
    trip.ms += ctx.now() - sentAt;
    checkChatCompletion(data, response.headers);
    cached?.sent(data);
    ticket?.succeeded({ headers: response.headers, promptTokens: data.usage?.prompt_tokens });
    hold?.settle(usageOf(data));
    if (data.usage) ctx.dialect.noteUsage(sampling, data.usage.completion_tokens);
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

/** From now on, for every row, answers are asked for and read as plain text; said once. */
export function structuredOutputsOff(ctx: GradeContext): void {
  if (!ctx.structured.enabled) return;
  ctx.structured.enabled = false;
  ctx.onStructuredOutputsOff?.();
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

/** The status and code of a refusal, or its message where it has no code, for the one line that reports it. */
function refusalDetail(error: unknown): string {
  if (!(error instanceof APIError)) return 'refused';
  if (typeof error.code === 'string') return `${error.status} ${error.code}`;
  const message = error.message.replace(/^\d{3}\s*/, '');
  return message === '' || message.includes('(no body)') ? String(error.status) : `${error.status}: ${message.slice(0, 120)}`;
}

/** The tokens an answer used; reasoning tokens are a part of completion_tokens, never added to them. */
export function usageOf(completion: ChatCompletion): Usage {
  return {
    prompt_tokens: completion.usage?.prompt_tokens ?? 0,
    completion_tokens: completion.usage?.completion_tokens ?? 0,
    cached_tokens: completion.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    reasoning_tokens: completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0,
  };
}

