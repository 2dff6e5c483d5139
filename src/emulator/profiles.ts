/**
 * The providers the emulator can play: for each, the emulator options that reproduce its
 * documented behaviour, and where that behaviour is documented. Plain data: a behaviour is added by
 * adding an option here (docs/servers.md describes each provider for users).
 *
 * Reasoning behaviours (refusing `temperature`, reasoning that spends the token budget, `<think>`
 * blocks, a 422 on `max_completion_tokens`, an ignored `max_completion_tokens`) are emulator options
 * of their own (docs/reasoning.md); they join these entries as those options land.
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
    // o-series and gpt-5 family: logprobs refused with 403 (the emulator does this for those model names).
    options: {},
    source: 'developers.openai.com/api/docs/guides/reasoning',
  },
  anthropic: {
    // response_format is ignored (prose answers); errors in Anthropic's shape (529 overloaded_error,
    // 400 credit balance, 429 with retry-after); anthropic-ratelimit-* headers with RFC 3339 resets.
    options: { errorDialect: 'anthropic', rateHeaders: 'anthropic', ignoreResponseFormat: true, logprobs: false },
    source: 'platform.claude.com/docs/en/api/openai-sdk; platform.claude.com/docs/en/api/errors; platform.claude.com/docs/en/api/rate-limits',
  },
  gemini: {
    // Errors as a JSON array, the wait in RetryInfo.retryDelay and no rate headers; quotas named in QuotaFailure.
    options: { errorDialect: 'gemini', rateHeaders: 'none' },
    source: 'ai.google.dev/gemini-api/docs/openai; ai.google.dev/gemini-api/docs/rate-limits; googleapis/python-genai#2044',
  },
  azure: {
    // x-ratelimit-*-tokens sent as -1 / -1 / 0 (openai/openai-dotnet#838); retry-after-ms and retry-after on 429.
    options: { rateHeaders: 'azure' },
    source: 'learn.microsoft.com/azure/ai-foundry/openai/quotas-limits; openai/openai-dotnet#838',
  },
  mistral: {
    options: { errorDialect: 'mistral', rateHeaders: 'mistral' },
    source: 'docs.mistral.ai/api; mistralai/client-ts#169 (x-ratelimit-*-req-minute / *-tokens-minute)',
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
    // No rate headers: it queues.
    options: { rateHeaders: 'none' },
    source: 'github.com/ollama/ollama docs/openai.md',
  },
  vllm: {
    // Top-level {"object":"error",…,"code":400}; no rate headers (it queues).
    options: { errorDialect: 'vllm', rateHeaders: 'none' },
    source: 'docs.vllm.ai/en/latest/serving/openai_compatible_server.html; vllm/entrypoints/openai/protocol.py (ErrorResponse)',
  },
  llamacpp: {
    // {"error":{"code":503,"message":"Loading model","type":"unavailable_error"}} while loading.
    options: { errorDialect: 'llamacpp', rateHeaders: 'none' },
    source: 'github.com/ggml-org/llama.cpp tools/server/README.md',
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
