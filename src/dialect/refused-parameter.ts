/**
 * Reads which request parameters a 400/422 error body refuses, in the shapes servers send; the
 * error-body reader (error-body.ts) keeps them as `refused`, and the SDK's error carries that on.
 *
 * - OpenAI: `{"error":{"message":"Unsupported value: 'temperature' does not support 0 with this model.
 *   Only the default (1) value is supported.","type":"invalid_request_error","param":"temperature",
 *   "code":"unsupported_value"}}` (API-NOTES §11; tmc/langchaingo#1355), and for max_tokens on a
 *   reasoning model `"code":"unsupported_parameter"`, "Unsupported parameter: 'max_tokens' is not
 *   supported with this model. Use 'max_completion_tokens' instead." (owndev/Open-WebUI-Functions#136).
 * - Azure OpenAI, older api-versions: `{"error":{"message":"Unrecognized request argument supplied:
 *   max_completion_tokens","type":"invalid_request_error","param":null,"code":null}}`
 *   (openai/openai-python#1724).
 * - Mistral: 422 `{"object":"error","message":{"detail":[{"type":"extra_forbidden","loc":["body",
 *   "max_completion_tokens"],"msg":"Extra inputs are not permitted","input":32000}]},
 *   "type":"invalid_request_error","param":null,"code":null}` (editor-code-assistant/eca#231); older
 *   answers carry the same detail list as a JSON string in `message` (mistralai/platform-docs-public#7)
 *   or at the top level (`{"detail":[…]}`, Gitlawb/openclaude#739).
 */

import { APIError } from 'openai';

const OPENAI_REFUSAL_CODES = new Set(['unsupported_value', 'unsupported_parameter']);
const AZURE_UNRECOGNIZED = /^Unrecognized request argument supplied: ([A-Za-z_][A-Za-z0-9_]*)$/;

/** The request parameters (top-level body keys) an error body says the server refuses; empty for any other error. */
export function refusedParameters(status: number, body: unknown): string[] {
  if (status !== 400 && status !== 422) return [];
  if (!isObject(body)) return [];
  const error = body.error;
  if (isObject(error)) {
    if (typeof error.param === 'string' && typeof error.code === 'string' && OPENAI_REFUSAL_CODES.has(error.code)) {
      return [error.param];
    }
    const azure = typeof error.message === 'string' ? AZURE_UNRECOGNIZED.exec(error.message.trim()) : null;
    if (azure) return [azure[1]!];
  }
  return extraForbidden(body);
}

/** Mistral's (pydantic's) `extra_forbidden` entries that name a top-level body key. */
function extraForbidden(body: Record<string, unknown>): string[] {
  const message = typeof body.message === 'string' ? parseJson(body.message) : body.message;
  const detail = (isObject(message) ? message.detail : undefined) ?? body.detail;
  if (!Array.isArray(detail)) return [];
  const names = detail.flatMap((entry: unknown) => {
    if (!isObject(entry) || entry.type !== 'extra_forbidden' || !Array.isArray(entry.loc)) return [];
    const [where, name, ...deeper] = entry.loc as unknown[];
    return where === 'body' && typeof name === 'string' && deeper.length === 0 ? [name] : [];
  });
  return [...new Set(names)];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The request parameters an API error says the server refuses; empty for any other failure. */
export function refusedParametersOf(error: unknown): string[] {
  if (!(error instanceof APIError)) return [];
  const reading = (error.error as { dialect?: { refused?: unknown } } | undefined)?.dialect;
  return Array.isArray(reading?.refused) ? reading.refused.filter((name): name is string => typeof name === 'string') : [];
}
