/**
 * `POST /v1/chat/completions`: auth, body validation, faults, the rate budget, latency, answer.
 * Requests refused before the model would run (auth, bad input, budget) answer at once, as the
 * real gateway does; answers and faults that answer wait the configured latency first.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerContent, chooserFor } from './answers.js';
import { contentLogprobs } from './logprobs.js';
import type { SampleCounter } from './sample-counter.js';
import { authFailure, keyAsSent } from './auth.js';
import { formatGoDuration, type RateBudget } from './budget.js';
import { chatCompletion, requestId } from './completion.js';
import { bodyTooLarge, budgetRefusal, emulatorOrganization, errorReply, invalidRequest, unparsableBody } from './errors.js';
import { faultReply } from './fault-replies.js';
import { rateHeadersIn } from './rate-header-dialects.js';
import type { FaultPicker } from './faults.js';
import { BodyTooLargeError, readBody, replyStatus, sendReply, type Reply } from './http-io.js';
import type { ResolvedOptions } from './options.js';
import { parameterRefusal, plantedGrade, reasoningAnswer, sentParams } from './reasoning.js';
import { checkChatRequest } from './request-schema.js';
import type { StatsRecorder } from './stats.js';
import { countPromptTokens, promptText, rateCharge } from './tokens.js';

/** Bodies beyond this are refused: a judge prompt is far smaller, and memory stays bounded. */
const maxBodyBytes = 32 * 1024 * 1024;

/** What the route needs from the emulator that owns it. */
export interface ChatRouteContext {
  options: ResolvedOptions;
  budget: RateBudget;
  /** The current fault picker (setFaults replaces it). */
  faults: () => FaultPicker;
  stats: StatsRecorder;
  /** Ms since the emulator started, for log timestamps. */
  sinceStart: () => number;
  /** The delay before this answer: latency ± jitter. */
  answerDelayMs: () => number;
  /** Waits; resolves false instead if the emulator closes meanwhile. */
  sleep: (ms: number) => Promise<boolean>;
  /** When (performance.now) the last retry-after-ms the emulator sent runs out. */
  cooldown: { until: number };
  /** How many times each prompt was answered above temperature 0. */
  samples: SampleCounter;
}

/** OpenAI's reasoning models (o1, o3, o4-mini, the gpt-5 family) return no logprobs. */
function givesNoLogprobs(model: string): boolean {
  return /^(?:o\d(?:$|[-.])|gpt-5(?!-chat)(?:$|[-.]))/.test(model);
}

interface Decision {
  reply: Reply;
  outcome: string;
  prompt: string;
  /** Whether the latency applies before the reply goes out. */
  delayed: boolean;
  /** With the `reasoning` option: the sampling and budget parameters sent, for the log. */
  sent?: Record<string, unknown>;
}

/** Handles one chat-completion request from arrival to reply (or deliberate silence). */
export async function handleChatCompletion(req: IncomingMessage, res: ServerResponse, ctx: ChatRouteContext): Promise<void> {
  const arrivedAt = performance.now();
  const at = ctx.sinceStart();
  const duringCooldown = arrivedAt < ctx.cooldown.until;
  ctx.stats.received();
  res.once('close', () => ctx.stats.settled());

  const decision = await decide(req, ctx);
  const retryCount = req.headers['x-stainless-retry-count'];
  ctx.stats.record({
    at,
    prompt: decision.prompt,
    status: replyStatus(decision.reply),
    outcome: decision.outcome,
    ...(decision.sent ? { sent: decision.sent } : {}),
    ...(typeof retryCount === 'string' ? { retryCount } : {}),
    ...(duringCooldown ? { duringCooldown } : {}),
  });
  if (decision.delayed && decision.reply.type !== 'hang' && !(await ctx.sleep(ctx.answerDelayMs()))) return;
  announceCooldown(decision.reply, ctx.cooldown);
  sendReply(res, decision.reply, {
    'x-request-id': requestId(),
    'openai-organization': emulatorOrganization,
    'openai-processing-ms': String(Math.round(performance.now() - arrivedAt)),
    'openai-version': '2020-10-01',
    ...rateLimitHeaders(ctx),
  });
}

/** The budget's rate headers in the server's dialect, with the token reset replaced when one is configured. */
function rateLimitHeaders(ctx: ChatRouteContext): Record<string, string> {
  if (ctx.options.rateHeaders !== 'openai') return rateHeadersIn(ctx.options.rateHeaders, ctx.budget.figures());
  const headers = ctx.budget.headers();
  const reset = ctx.options.resetTokensMs;
  return reset === undefined ? headers : { ...headers, 'x-ratelimit-reset-tokens': formatGoDuration(reset) };
}

/** A 429 that tells the client when to come back opens a window in which no request should arrive. */
function announceCooldown(reply: Reply, cooldown: { until: number }): void {
  if (reply.type !== 'json' || reply.status !== 429) return;
  const retryAfterMs = reply.announcedWaitMs ?? Number(reply.headers?.['retry-after-ms']);
  if (Number.isFinite(retryAfterMs) && retryAfterMs > 0) cooldown.until = Math.max(cooldown.until, performance.now() + retryAfterMs);
}

async function decide(req: IncomingMessage, ctx: ChatRouteContext): Promise<Decision> {
  const immediate = (reply: Reply, outcome: string, prompt = ''): Decision => ({ reply, outcome, prompt, delayed: false });
  let raw: string;
  try {
    raw = await readBody(req, maxBodyBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return immediate(bodyTooLarge(), 'invalid_request');
    return immediate({ type: 'drop' }, 'client_closed');
  }

  const authorization = req.headers.authorization;
  const unauthorized = authFailure(authorization, ctx.options.apiKey);
  if (unauthorized) return immediate(unauthorized, 'invalid_api_key');

  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return immediate(unparsableBody(), 'invalid_request');
  }
  const checked = checkChatRequest(body);
  if (!checked.ok) {
    const { message, param, code } = checked.problem;
    return immediate(invalidRequest(message, param, code), 'invalid_request');
  }
  const request = checked.request;
  const prompt = promptText(request.messages);
  const reasoning = ctx.options.reasoning;
  const refused = reasoning && parameterRefusal(request, reasoning);
  if (refused) return { ...immediate(refused.reply, refused.outcome, prompt), sent: sentParams(request) };
  if (request.stream) {
    return immediate(invalidRequest('Streaming is not supported by the verdict emulator.', 'stream', 'unsupported_value'), 'invalid_request', prompt);
  }
  if (request.top_logprobs != null && request.top_logprobs > 0 && request.logprobs !== true) {
    return immediate(invalidRequest("Invalid value: 'top_logprobs' requires 'logprobs' to be true.", 'top_logprobs'), 'invalid_request', prompt);
  }
  if (request.logprobs === true && ctx.options.logprobs && givesNoLogprobs(request.model)) {
    // OpenAI's reasoning models refuse logprobs with a 403, not a 400.
    return immediate(
      errorReply(403, { message: 'You are not allowed to request logprobs from this model', type: 'invalid_request_error' }),
      'logprobs_refused',
      prompt,
    );
  }
  if (!ctx.options.structuredOutputs && request.response_format?.type === 'json_schema') {
    const message = "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.";
    return immediate(invalidRequest(message, 'response_format'), 'invalid_request', prompt);
  }

  // At temperature above 0 the same prompt may get a different answer each time (--repeat relies
  // on it); at 0 it always gets the same one.
  const sample = request.temperature ? ctx.samples.next(prompt) : 0;
  const inputs = { seed: ctx.options.seed, promptText: sample === 0 ? prompt : `${prompt}\u0000sample ${sample}`, quotePrompt: ctx.options.quotePrompt };
  const promptTokens = countPromptTokens(request.messages);
  // Faults come before the budget so a faulted request never spends it.
  const fault = ctx.faults().pick(prompt);
  if (fault) {
    const reply = faultReply(fault, {
      model: request.model,
      promptTokens,
      seed: ctx.options.seed,
      normalContent: () => answerContent(request.response_format, inputs),
      keyAsSent: keyAsSent(authorization),
      rpm: ctx.options.rpm,
      dialect: ctx.options.errorDialect,
    });
    return { reply, outcome: fault.kind, prompt, delayed: true };
  }

  const admission = ctx.budget.tryAcquire(rateCharge(request, promptTokens));
  if (!admission.ok) return immediate(budgetRefusal(request.model, admission), 'rate_limited_by_budget', prompt);

  // A server that ignores response_format answers in prose (Anthropic's OpenAI layer).
  const content = answerContent(ctx.options.ignoreResponseFormat ? undefined : request.response_format, inputs);
  const logprobs = request.logprobs === true && ctx.options.logprobs ? contentLogprobs(content, request.top_logprobs ?? 0, chooserFor(inputs)) : undefined;
  const plain = chatCompletion({ model: request.model, content, promptTokens, seed: ctx.options.seed, logprobs });
  const completion = reasoning ? reasoningAnswer(plain, request, reasoning, plantedGrade(content)) : plain;
  return { reply: { type: 'json', status: 200, body: completion }, outcome: 'ok', prompt, delayed: true, ...(reasoning ? { sent: sentParams(request) } : {}) };
}
