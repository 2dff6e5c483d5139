/**
 * The emulator's public contract. The zod schemas that check these shapes at the boundaries live in
 * options.ts; the interfaces are written out here so each field keeps its documentation.
 */

import type { BatchStats } from './batch-store.js';
import type { ReasoningBehaviour } from './reasoning.js';

/** Every fault the emulator can inject, in the order the docs list them. */
export const faultKinds = [
  'rate_limit',
  'server_error',
  'overloaded',
  'drop',
  'hang',
  'malformed',
  'empty',
  'refusal',
  'truncated',
  'not_json',
  'insufficient_quota',
  'unauthorized',
  'forbidden',
  'bad_request',
  'payment_required',
  'error_in_ok',
  'spend_limit',
] as const;

/** How error answers are written: OpenAI's shape, or another server's (src/emulator/dialect-errors.ts). */
export const errorDialects = ['openai', 'anthropic', 'gemini', 'mistral', 'vllm', 'llamacpp', 'openrouter', 'lmstudio'] as const;
export type ErrorDialect = (typeof errorDialects)[number];

/** Which rate-limit headers answers carry, and in whose names (src/emulator/rate-header-dialects.ts). */
export const rateHeaderDialects = ['openai', 'azure', 'mistral', 'anthropic', 'groq', 'litellm', 'none'] as const;
export type RateHeaderDialect = (typeof rateHeaderDialects)[number];

/**
 * What a faulted request gets:
 * - `rate_limit`: 429 `rate_limit_exceeded`, type `requests`, with `retry-after-ms` and `retry-after`;
 * - `server_error`: 500 (or `rule.status`), type `server_error`;
 * - `overloaded`: 503 `server_is_overloaded`;
 * - `drop`: the socket is destroyed without an answer;
 * - `hang`: no answer until the client disconnects or the emulator closes;
 * - `malformed`: 200 whose content is neither JSON nor fits the schema;
 * - `empty`: 200 with content `''`;
 * - `refusal`: 200 with `content: null` and `refusal` set;
 * - `truncated`: 200 with `finish_reason: 'length'` and the content cut mid-answer;
 * - `not_json`: 200 with an HTML body (a proxy's error page);
 * - `insufficient_quota`: 429 `insufficient_quota`;
 * - `unauthorized`: 401 `invalid_api_key` whose message echoes the full key sent;
 * - `forbidden`: 403, as a model that refuses a parameter (logprobs) or a region answers;
 * - `bad_request`: 400 `invalid_request_error`;
 * - `payment_required`: 402, the account has no credit (OpenRouter, DeepSeek);
 * - `error_in_ok`: HTTP 200 whose body is `{"error":{"code":502,…}}`, as OpenRouter answers when the
 *   upstream fails after the request was accepted (openrouter.ai/docs/api-reference/errors);
 * - `spend_limit`: 429 `insufficient_quota` / `project_spend_limit_exceeded` (OpenAI); under the
 *   Anthropic dialect its monthly cap, a 429 `rate_limit_error` with `details.error_code`
 *   `enforced_spend_limit_reached`.
 *
 * Under another `errorDialect` the error faults are written in that server's shape, and the ones
 * whose meaning differs by provider become what that provider sends: `insufficient_quota` is
 * Anthropic's 400 "credit balance is too low", Gemini's 429 naming a per-day quota, OpenRouter's 402;
 * `overloaded` is Anthropic's 529; `unauthorized` is Gemini's 400 API_KEY_INVALID.
 */
export type FaultKind = (typeof faultKinds)[number];

/** One fault-injection rule. Neither `count` nor `rate` means every matching request is faulted. */
export interface FaultRule {
  kind: FaultKind;
  /** Only the first `count` matching requests get the fault. */
  count?: number;
  /** Probability (0..1) that a matching request gets the fault, drawn from the seeded RNG. */
  rate?: number;
  /** Only requests whose concatenated message text contains this substring match. */
  match?: string;
  /** HTTP status for `server_error` (500–599); default 500. */
  status?: number;
  /** Delay hinted by a `rate_limit` fault; default 200 ms. */
  retryAfterMs?: number;
}

/** How to start an emulator; every field is optional. */
export interface EmulatorOptions {
  /** Interface to bind; default `127.0.0.1` (never anything wider by default). */
  host?: string;
  /** Port; default 0, a free port. */
  port?: number;
  /** Seed for answers, fault rates and jitter; default 0. */
  seed?: number;
  /** Delay before each answer; default 0. */
  latencyMs?: number;
  /** Uniform ± jitter on the delay, drawn from the seeded RNG; default 0. */
  jitterMs?: number;
  /** Requests-per-minute limit; undefined = unlimited. */
  rpm?: number;
  /** Tokens-per-minute limit; undefined = unlimited. */
  tpm?: number;
  /**
   * When set, every answer reports `x-ratelimit-reset-tokens` as this many ms (Go-style, e.g.
   * `6m0s`) whatever the token bucket says, as a long token window does; the budget is unchanged.
   */
  resetTokensMs?: number;
  /** When set, `Authorization` must be exactly `Bearer <apiKey>`; when unset any non-empty bearer works. */
  apiKey?: string;
  /** Default true. False: a `json_schema` response_format gets 400 `param: 'response_format'`. */
  structuredOutputs?: boolean;
  /**
   * Default false. True: plain-text answers first quote the whole prompt, then grade (tests that a
   * grade planted in the graded text loses to the judge's own).
   */
  quotePrompt?: boolean;
  /**
   * Default true: `logprobs: true` gets token logprobs (reasoning models such as o3 answer 403, as
   * OpenAI does). False: the parameter is accepted and ignored, as by servers without logprobs.
   */
  logprobs?: boolean;
  /** Fault rules; the first rule that fires wins. */
  faults?: FaultRule[];
  /** Most entries kept in `stats().log` (oldest dropped); default 10000. */
  logLimit?: number;
  /** How long a batch takes from created to completed (validating, in_progress, finalizing); default 1000 ms. */
  batchDelayMs?: number;
  /** Reasoning models and other servers' parameter dialects (src/emulator/reasoning.ts); off by default. */
  reasoning?: ReasoningBehaviour;
  /**
   * A provider to play (src/emulator/profiles.ts): its options are the defaults, and any option
   * given beside it wins.
   */
  profile?: string;
  /** The shape of error answers; default `openai`. */
  errorDialect?: ErrorDialect;
  /** Which rate headers answers carry; default `openai` (only with `rpm`/`tpm` set, as before). */
  rateHeaders?: RateHeaderDialect;
  /** Default false. True: `response_format` is accepted and ignored, the answer comes as prose (Anthropic's compat layer). */
  ignoreResponseFormat?: boolean;
}

/** One chat-completion request as the emulator saw it. Never holds the Authorization header. */
export interface EmulatorLogEntry {
  /** Arrival time in ms since the emulator started. */
  at: number;
  /** The request's message contents, joined by newlines. */
  prompt: string;
  /** HTTP status sent; 0 for `drop` and `hang`. */
  status: number;
  /** `ok`, a fault kind, `rate_limited_by_budget`, `invalid_api_key`, `invalid_request`, or `unexpected_endpoint` (LM Studio's 200 for a path it does not serve). */
  outcome: string;
  /** The `x-stainless-retry-count` header, when the client sent one. */
  retryCount?: string;
  /** True when the request arrived before an earlier 429's `retry-after-ms` had passed. */
  duringCooldown?: boolean;
  /** With the `reasoning` option: the temperature, reasoning_effort and token limit the request sent. */
  sent?: Record<string, unknown>;
  authorization?: never;
}

/** Counters since start or the last reset. */
export interface EmulatorStats {
  /** Chat-completion requests received. */
  requests: number;
  /** Requests received and not yet answered or closed. */
  inFlight: number;
  /** Highest `inFlight` seen since start or reset. */
  maxInFlight: number;
  /** Requests per outcome, e.g. `{ok: 10, rate_limit: 2, rate_limited_by_budget: 3}`. */
  outcomes: Record<string, number>;
  /**
   * Requests that arrived while a cooldown the emulator had announced was in force: after a 429
   * carrying `retry-after-ms` was sent and before that time had passed.
   */
  duringCooldown: number;
  log: EmulatorLogEntry[];
}

/** A running emulator. */
export interface Emulator {
  /** Base URL including `/v1`, e.g. `http://127.0.0.1:41234/v1`. */
  url: string;
  port: number;
  /** A snapshot copy of the counters and log. */
  stats(): EmulatorStats;
  /** A copy of the Batch API's counters: uploads, batches created, polls, downloads. */
  batchStats(): BatchStats;
  /** Replaces the fault rules and restarts their counts and random draws. */
  setFaults(rules: FaultRule[]): void;
  /** Zeroes the counters and the log (requests still in flight stay counted in `inFlight`). */
  resetStats(): void;
  /** Stops listening and releases every open request, hanging ones included. */
  close(): Promise<void>;
}
