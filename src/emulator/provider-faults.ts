/**
 * Error faults as a provider other than OpenAI sends them: in its dialect, and, where providers
 * differ on what a situation looks like, as that provider documents it (sources beside each).
 */
import { dialectErrorReply, type EmulatedError } from './dialect-errors.js';
import type { Reply } from './http-io.js';
import type { ErrorDialect, FaultRule } from './types.js';

/** What a provider fault needs to know about the request. */
export interface ProviderFaultRequest {
  model: string;
  dialect: ErrorDialect;
}

/** 402 as OpenRouter words it (openrouter.ai/docs/api-reference/errors). */
const noCreditMessage = 'Insufficient credits. Add more using https://openrouter.ai/credits';

/** The reply for an error fault in `request.dialect`; undefined for faults that are not error answers. */
export function providerFault(rule: FaultRule, request: ProviderFaultRequest): Reply | undefined {
  const dialect = request.dialect;
  const reply = (error: EmulatedError) => dialectErrorReply(dialect, error);
  switch (rule.kind) {
    case 'rate_limit':
      return reply({
        status: 429,
        type: 'requests',
        code: 'rate_limit_exceeded',
        message: `Rate limit reached for ${request.model} on requests per minute. Please try again later.`,
        waitMs: rule.retryAfterMs ?? 200,
        // Gemini names the quota it counted against: here a per-minute one, which comes back.
        ...(dialect === 'gemini' ? { quotaId: 'GenerateRequestsPerMinutePerProjectPerModel-FreeTier' } : {}),
      });
    case 'overloaded':
      // Anthropic's 529 overloaded_error (platform.claude.com/docs/en/api/errors); llama.cpp's 503 while it loads a model.
      if (dialect === 'anthropic') return reply({ status: 529, type: 'overloaded_error', message: 'Overloaded' });
      return reply({ status: 503, type: 'unavailable_error', message: dialect === 'llamacpp' ? 'Loading model' : 'The server is overloaded or not ready yet.' });
    case 'server_error':
      return reply({ status: rule.status ?? 500, type: 'server_error', message: 'Internal server error' });
    case 'insufficient_quota':
      return outOfQuota(dialect, reply);
    case 'payment_required':
      return reply({ status: 402, type: 'payment_required', message: noCreditMessage });
    case 'spend_limit':
      // Anthropic's monthly cap: a 429 like a rate limit, told apart only by details.error_code
      // (platform.claude.com/docs/en/api/errors).
      if (dialect === 'anthropic') {
        return reply({ status: 429, type: 'rate_limit_error', code: 'enforced_spend_limit_reached', message: 'You have reached your monthly spend limit.' });
      }
      return reply({ status: 429, type: 'insufficient_quota', code: 'project_spend_limit_exceeded', message: 'You have reached the spend limit of this project.' });
    case 'unauthorized':
      // Gemini answers a bad key with 400 INVALID_ARGUMENT, reason API_KEY_INVALID (ai.google.dev/gemini-api/docs/troubleshooting).
      if (dialect === 'gemini') {
        return reply({ status: 400, type: 'INVALID_ARGUMENT', reason: 'API_KEY_INVALID', message: 'API key not valid. Please pass a valid API key.' });
      }
      return reply({ status: 401, type: 'authentication_error', code: 'invalid_api_key', message: 'invalid x-api-key' });
    case 'forbidden':
      return reply({ status: 403, type: 'permission_error', message: 'Your API key does not have permission to use the specified resource.' });
    case 'bad_request':
      return reply({ status: 400, type: 'invalid_request_error', param: 'messages', message: "Invalid value for 'messages': the emulator was told to reject this request." });
    default:
      return undefined;
  }
}

/** "The money is gone", as each provider says it. */
function outOfQuota(dialect: ErrorDialect, reply: (error: EmulatedError) => Reply): Reply {
  switch (dialect) {
    case 'anthropic':
      // A 400, not a 429 (anthropics/anthropic-sdk-typescript#618).
      return reply({
        status: 400,
        type: 'invalid_request_error',
        message: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
      });
    case 'gemini':
      // The free tier's daily quota, with a RetryInfo that no run should wait out (googleapis/python-genai#2044).
      return reply({
        status: 429,
        type: 'RESOURCE_EXHAUSTED',
        quotaId: 'GenerateRequestsPerDayPerProjectPerModel-FreeTier',
        waitMs: 30_000,
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, ' +
          'head to: https://ai.google.dev/gemini-api/docs/rate-limits.',
      });
    case 'openrouter':
      return reply({ status: 402, type: 'payment_required', message: noCreditMessage });
    default:
      return reply({
        status: 429,
        type: 'insufficient_quota',
        code: 'insufficient_quota',
        message: 'You exceeded your current quota, please check your plan and billing details.',
      });
  }
}
