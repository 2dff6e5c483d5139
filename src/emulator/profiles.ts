/**
 * The providers the emulator can play: for each, the emulator options that reproduce its
 * documented behaviour, and where that behaviour is documented. Plain data: a behaviour is added by
 * adding an option here (docs/servers.md describes each provider for users).
 *
 * Reasoning and parameter behaviours (refusing `temperature`, reasoning that spends the token
 * budget, `<think>` blocks, a 422 on `max_completion_tokens`, an ignored `max_completion_tokens`)
 * are the `reasoning` option (reasoning.ts, docs/reasoning.md).
 */
import type { EmulatorOptions } from './types.js';

/** What a profile sets: any emulator option but where to listen and the profile itself. */
export type ProfileOptions = Omit<EmulatorOptions, 'host' | 'port' | 'profile' | 'faults'>;

export interface Profile {
  options: ProfileOptions;
  /** Where the behaviours are documented. */
  source: string;
}

export const PROFILES = {
  openai: {
    options: {},
    source: 'developers.openai.com/api/docs/guides/error-codes; developers.openai.com/api/docs/guides/rate-limits',
  },
  'openai-reasoning': {
    // o-series, gpt-5 family and later majors (gpt-6-luna: developers.openai.com/api/docs/models/gpt-6-luna),
    // not -chat models: logprobs refused with 403 (the emulator does this for those model names);
    // temperature other than 1 and max_tokens refused with 400; thinking spends the completion budget.
    options: { reasoning: { reasoningModels: '^(o\\d|gpt-[5-9](?!.*-chat))', reasoningTokens: 256 } },
    source: 'developers.openai.com/api/docs/guides/reasoning; tmc/langchaingo#1355; owndev/Open-WebUI-Functions#136',
  },
  anthropic: {
    // response_format is ignored (prose answers); errors in Anthropic's shape (529 overloaded_error,
    // 400 credit balance, 429 with retry-after); anthropic-ratelimit-* headers with RFC 3339 resets.
    options: { errorDialect: 'anthropic', rateHeaders: 'anthropic', ignoreResponseFormat: true, logprobs: false },
    source: 'platform.claude.com/docs/en/api/openai-sdk; platform.claude.com/docs/en/api/errors; platform.claude.com/docs/en/api/rate-limits',
  },
  gemini: {
    // Errors as a JSON array, the wait in RetryInfo.retryDelay and no rate headers; quotas named in QuotaFailure.
    // Thinking models spend max_tokens on thought before they answer (googleapis/python-genai#811).
    options: { errorDialect: 'gemini', rateHeaders: 'none', reasoning: { reasoningTokens: 128 } },
    source: 'ai.google.dev/gemini-api/docs/openai; ai.google.dev/gemini-api/docs/rate-limits; googleapis/python-genai#2044; googleapis/python-genai#811',
  },
  azure: {
    // x-ratelimit-*-tokens sent as -1 / -1 / 0 (openai/openai-dotnet#838); retry-after-ms and retry-after on 429.
    // Older api-versions answer 400 "Unrecognized request argument supplied: max_completion_tokens".
    options: { rateHeaders: 'azure', reasoning: { refuseMaxCompletionTokens: 'azure' } },
    source: 'learn.microsoft.com/azure/ai-foundry/openai/quotas-limits; openai/openai-dotnet#838; openai/openai-python#1724',
  },
  mistral: {
    // 422 extra_forbidden on max_completion_tokens; finish_reason model_length for a cut answer.
    options: { errorDialect: 'mistral', rateHeaders: 'mistral', reasoning: { refuseMaxCompletionTokens: 'mistral', lengthFinishReason: 'model_length' } },
    source: 'docs.mistral.ai/api; mistralai/client-ts#169 (x-ratelimit-*-req-minute / *-tokens-minute); editor-code-assistant/eca#231',
  },
  groq: {
    // x-ratelimit-*-requests count per day, tokens per minute (its 400 for logprobs is not played).
    options: { rateHeaders: 'groq' },
    source: 'console.groq.com/docs/rate-limits; console.groq.com/docs/openai',
  },
  openrouter: {
    // 402 when out of credits; a 429's limits in error.metadata.headers; errors may come inside a 200.
    options: { errorDialect: 'openrouter', rateHeaders: 'none' },
    source: 'openrouter.ai/docs/api-reference/errors; openrouter.ai/docs/api-reference/limits',
  },
  ollama: {
    // No rate headers: it queues. Reads only max_tokens; thinking models add a `reasoning` field.
    options: { rateHeaders: 'none', reasoning: { ignoreMaxCompletionTokens: true, reasoningField: 'reasoning' } },
    source: 'github.com/ollama/ollama docs/openai.md; ollama/ollama#7125',
  },
  vllm: {
    // Top-level {"object":"error",…,"code":400}; no rate headers (it queues). A reasoning model
    // served without a reasoning parser leaves its <think> block in the content.
    options: { errorDialect: 'vllm', rateHeaders: 'none', reasoning: { thinkBlock: true } },
    source: 'docs.vllm.ai/en/latest/serving/openai_compatible_server.html; vllm/entrypoints/openai/protocol.py (ErrorResponse)',
  },
  llamacpp: {
    // {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}} while loading.
    // Builds before PR #19831 read only max_tokens; thinking goes to reasoning_content.
    options: { errorDialect: 'llamacpp', rateHeaders: 'none', reasoning: { ignoreMaxCompletionTokens: true, reasoningField: 'reasoning_content' } },
    source: 'github.com/ggml-org/llama.cpp tools/server/README.md; ggml-org/llama.cpp#19831',
  },
  lmstudio: {
    // A path it does not serve (a base URL without /v1) answers 200 {"error":"Unexpected endpoint or method. (POST …)"}.
    options: { errorDialect: 'lmstudio', rateHeaders: 'none' },
    source: 'lmstudio.ai/docs/app/api/endpoints/openai; lmstudio-ai/lmstudio-bug-tracker#618',
  },
} as const satisfies Record<string, Profile>;

export type ProfileName = keyof typeof PROFILES;

/** The profile names, in the table's order. */
export const profileNames = Object.keys(PROFILES) as ProfileName[];

/** The options of profile `name`; throws a TypeError naming the known ones for an unknown name. */
export function profileOptions(name: string): ProfileOptions {
  if (!(name in PROFILES)) throw new TypeError(`unknown profile '${name}': one of ${profileNames.join(', ')}`);
  return PROFILES[name as ProfileName].options;
}
