/**
 * Reads an error answer in whichever shape the server speaks, into one `ServerError`. The shapes,
 * and where each is documented (docs/servers.md has the full list):
 * - OpenAI: `{"error":{"message","type","param","code"}}` (developers.openai.com/docs/guides/error-codes);
 * - Gemini's OpenAI layer: a JSON array `[{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[…]}}]`
 *   whose details carry google.rpc RetryInfo, QuotaFailure and ErrorInfo (ai.google.dev/gemini-api/docs/openai;
 *   googleapis/python-genai#2044 shows one in full);
 * - Anthropic: `{"type":"error","error":{"type","message","details":{"error_code"}}}` (platform.claude.com/docs/en/api/errors);
 * - Mistral and vLLM: a top-level `{"object":"error","message":…,"type","code":400}`, Mistral's message
 *   an object `{"detail":[{"type","loc":["body",name],"msg"}]}` (docs.mistral.ai; vllm/entrypoints/openai/protocol.py);
 * - llama.cpp: `{"error":{"code":400,"message","type"}}` with an integer code (ggml-org/llama.cpp tools/server);
 * - OpenRouter: `{"error":{"code":429,"message","metadata":{"headers":{…}}}}`, also inside an HTTP 200 (openrouter.ai/docs/api-reference/errors);
 * - LM Studio: `{"error":"Unexpected endpoint or method. (POST /chat/completions)"}` in a 200 (lmstudio-ai/lmstudio-bug-tracker#618);
 * - LiteLLM: OpenAI's shape with `type: "budget_exceeded"` (docs.litellm.ai/docs/proxy/budget_exceeded_errors).
 */
import * as z from 'zod';
import { parseProtoDuration } from './durations.js';
import { refusedParameters } from './refused-parameter.js';

/** An error answer as every later decision reads it, whatever dialect it came in. */
export interface ServerError {
  /** The HTTP status; for an error inside a 200, the status its body names, if it names one. */
  status: number;
  /** The server's own words. */
  message: string;
  /** OpenAI `type`, Anthropic `error.type`, Gemini `status`, LiteLLM `type`. */
  type?: string;
  /** A string `code` (OpenAI), or Anthropic's `details.error_code`; integer codes are statuses, not codes. */
  code?: string;
  param?: string;
  /** Gemini QuotaFailure violations: the quotas that ran out (`GenerateRequestsPerDayPerProjectPerModel-FreeTier`). */
  quotaIds?: string[];
  /** Gemini ErrorInfo reasons (`API_KEY_INVALID`). */
  reasons?: string[];
  /** Gemini RetryInfo `retryDelay`, in ms. */
  retryDelayMs?: number;
  /** OpenRouter's `metadata.headers`: the upstream's rate headers, lower-cased names. */
  rateHeaders?: Record<string, string>;
  /** Request fields a validation error names (Mistral's `loc: ["body", name]`). */
  fields?: string[];
  /** Request parameters a 400/422 says the server does not take (refused-parameter.ts). */
  refused?: string[];
}

const text = z.string();
const detailItem = z.looseObject({ loc: z.array(z.union([z.string(), z.number()])).optional(), msg: z.string().optional(), type: z.string().optional() });
const googleDetail = z.looseObject({
  '@type': z.string().optional(),
  retryDelay: z.string().optional(),
  reason: z.string().optional(),
  violations: z.array(z.looseObject({ quotaId: z.string().optional() })).optional(),
});
const errorObject = z.looseObject({
  message: z.unknown().optional(),
  type: z.unknown().optional(),
  code: z.unknown().optional(),
  param: z.unknown().optional(),
  status: z.unknown().optional(),
  details: z.unknown().optional(),
  metadata: z.unknown().optional(),
});

/** Reads an error body (already parsed from JSON) of any known shape; unknown shapes keep their text. */
export function readErrorBody(status: number, body: unknown): ServerError {
  const read = readShape(status, body);
  const refused = refusedParameters(status, body);
  return refused.length > 0 ? { ...read, refused } : read;
}

function readShape(status: number, body: unknown): ServerError {
  const first = Array.isArray(body) ? body[0] : body;
  const outer = z.looseObject({ error: z.unknown().optional(), object: z.unknown().optional(), detail: z.unknown().optional() }).safeParse(first);
  if (!outer.success) return { status, message: typeof first === 'string' && first !== '' ? first : describe(body, status) };
  const { error, object, detail } = outer.data;
  if (typeof error === 'string') return { status, message: error };
  // vLLM and Mistral put the error object at the top level, marked `object: "error"`.
  const inner = errorObject.safeParse(error !== undefined ? error : object === 'error' ? first : undefined);
  if (!inner.success) {
    if (detail !== undefined) return { status, ...fromDetail(detail) };
    return { status, message: describe(body, status) };
  }
  return readErrorObject(status, inner.data);
}

function readErrorObject(status: number, error: z.infer<typeof errorObject>): ServerError {
  const read: ServerError = { status, message: '' };
  const message = error.message;
  if (typeof message === 'string') read.message = message;
  else if (message !== undefined && message !== null) Object.assign(read, fromDetail((message as { detail?: unknown }).detail ?? message));
  const type = text.safeParse(error.type).data ?? text.safeParse(error.status).data;
  if (type) read.type = type;
  if (typeof error.code === 'string' && error.code !== '') read.code = error.code;
  // An integer code is the status the server meant; inside a 200 (OpenRouter) it is the real one.
  if (typeof error.code === 'number' && status < 300 && error.code >= 400 && error.code <= 599) read.status = error.code;
  if (typeof error.param === 'string') read.param = error.param;
  readDetails(error.details, read);
  readMetadata(error.metadata, read);
  if (read.message === '') read.message = describe(error, status);
  return read;
}

/** Gemini's google.rpc details (an array) or Anthropic's `details.error_code` (an object). */
function readDetails(details: unknown, read: ServerError): void {
  if (Array.isArray(details)) {
    for (const item of details) {
      const detail = googleDetail.safeParse(item);
      if (!detail.success) continue;
      const kind = detail.data['@type'] ?? '';
      if (kind.endsWith('google.rpc.RetryInfo') && detail.data.retryDelay) {
        const ms = parseProtoDuration(detail.data.retryDelay);
        if (ms !== undefined) read.retryDelayMs = ms;
      }
      if (kind.endsWith('google.rpc.QuotaFailure')) {
        const ids = (detail.data.violations ?? []).flatMap((v) => (v.quotaId ? [v.quotaId] : []));
        if (ids.length > 0) read.quotaIds = [...(read.quotaIds ?? []), ...ids];
      }
      if (kind.endsWith('google.rpc.ErrorInfo') && detail.data.reason) read.reasons = [...(read.reasons ?? []), detail.data.reason];
    }
    return;
  }
  const anthropic = z.looseObject({ error_code: z.string() }).safeParse(details);
  if (anthropic.success) read.code = anthropic.data.error_code;
}

function readMetadata(metadata: unknown, read: ServerError): void {
  const parsed = z.looseObject({ headers: z.record(z.string(), z.union([z.string(), z.number()])) }).safeParse(metadata);
  if (!parsed.success) return;
  read.rateHeaders = Object.fromEntries(Object.entries(parsed.data.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
}

/** A validation `detail` list (Mistral, FastAPI): its messages joined, and the body fields it names. */
function fromDetail(detail: unknown): { message: string; fields?: string[] } {
  const items = z.array(detailItem).safeParse(detail);
  if (!items.success) return { message: typeof detail === 'string' ? detail : JSON.stringify(detail) };
  const fields = items.data.flatMap((item) => (item.loc?.[0] === 'body' && typeof item.loc[1] === 'string' ? [item.loc[1]] : []));
  const message = items.data.map((item) => [item.loc?.join('.'), item.msg].filter(Boolean).join(': ')).join('; ');
  return fields.length > 0 ? { message, fields } : { message };
}

function describe(body: unknown, status: number): string {
  if (body === undefined || body === null || body === '') return `HTTP ${status} with no body`;
  const json = typeof body === 'string' ? body : JSON.stringify(body);
  return json.length > 300 ? `${json.slice(0, 300)}…` : json;
}
