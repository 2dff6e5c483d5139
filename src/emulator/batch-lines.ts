/**
 * The lines of a Batch API input file: checked as OpenAI checks them when a batch validates, and
 * answered one by one with the chat route's logic (same answers for the same seed and prompt, the
 * same fault rules), minus the HTTP: a line's fault becomes its response's status and body.
 */
import { answerContent } from './answers.js';
import { chatCompletion } from './completion.js';
import * as errors from './errors.js';
import { faultReply } from './fault-replies.js';
import type { FaultPicker } from './faults.js';
import type { ResolvedOptions } from './options.js';
import { checkChatRequest } from './request-schema.js';
import { countPromptTokens, promptText } from './tokens.js';

/** The endpoint the emulator runs batches for. */
export const batchEndpoint = '/v1/chat/completions';
/** OpenAI's limits on one batch input file. */
export const batchFileLimits = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 } as const;

/** One input-validation problem, as `errors.data[]` of a failed batch holds it. */
export interface BatchLineError {
  code: string;
  message: string;
  param: string | null;
  /** 1-based line of the input file; null for a problem with the whole file. */
  line: number | null;
}

/** A valid input line. */
export interface BatchRequestLine {
  customId: string;
  body: unknown;
}

/** The lines of a valid file and their one model, or every problem found (OpenAI fails the batch on them). */
export type CheckedBatchFile = { ok: true; model: string; lines: BatchRequestLine[] } | { ok: false; errors: BatchLineError[] };

// A bad file can have a problem on every line; the batch's errors list is kept readable.
const maxErrorsListed = 100;

/** Checks an input file: JSONL of `{custom_id, method, url, body}`, one model, unique ids, within the limits. */
export function checkBatchFile(bytes: Buffer, endpoint: string): CheckedBatchFile {
  const problems: BatchLineError[] = [];
  const problem = (code: string, message: string, line: number | null, param: string | null = null) => {
    if (problems.length < maxErrorsListed) problems.push({ code, message, param, line });
  };
  if (bytes.length > batchFileLimits.maxBytes) {
    problem('file_too_large', `The input file is ${bytes.length} bytes; a batch input file may hold at most ${batchFileLimits.maxBytes}.`, null);
    return { ok: false, errors: problems };
  }
  const texts = bytes.toString('utf8').split('\n');
  const lines: BatchRequestLine[] = [];
  const seen = new Set<string>();
  let model: string | undefined;
  for (const [index, text] of texts.entries()) {
    const line = index + 1;
    if (text.trim() === '') continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      problem('invalid_json_line', 'This line is not parseable as valid JSON.', line);
      continue;
    }
    const request = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    const customId = request.custom_id;
    if (typeof customId !== 'string' || customId === '') {
      problem('missing_required_parameter', "Missing required parameter: 'custom_id'.", line, 'custom_id');
      continue;
    }
    if (seen.has(customId)) {
      problem('duplicate_custom_id', `The custom_id '${customId}' is used more than once in this file.`, line, 'custom_id');
      continue;
    }
    seen.add(customId);
    if (request.method !== 'POST') problem('invalid_method', "Only the method 'POST' is supported.", line, 'method');
    if (request.url !== endpoint) problem('invalid_url', `The url must be '${endpoint}', the batch's endpoint.`, line, 'url');
    const body = request.body as Record<string, unknown> | undefined;
    const lineModel = typeof body === 'object' && body !== null ? body.model : undefined;
    if (typeof lineModel !== 'string' || lineModel === '') {
      problem('missing_required_parameter', "Missing required parameter: 'body.model'.", line, 'body.model');
      continue;
    }
    model ??= lineModel;
    if (lineModel !== model) {
      problem('mismatched_model', `All requests in a batch must use the same model: '${lineModel}' here, '${model}' before.`, line, 'body.model');
    }
    lines.push({ customId, body });
  }
  if (lines.length > batchFileLimits.maxRequests) {
    problem('too_many_requests', `The input file holds ${lines.length} requests; a batch may hold at most ${batchFileLimits.maxRequests}.`, null);
  }
  if (problems.length === 0 && lines.length === 0) problem('empty_file', 'The input file holds no requests.', null);
  if (problems.length > 0 || model === undefined) return { ok: false, errors: problems };
  return { ok: true, model, lines };
}

/** What one line is answered with: an HTTP status and a JSON body, as the sync endpoint would have sent. */
export interface LineResponse {
  statusCode: number;
  body: unknown;
}

/** What answering a line needs from the emulator. */
export interface LineContext {
  options: ResolvedOptions;
  faults: FaultPicker;
  /** The bearer token the batch was created with (the `unauthorized` fault echoes it). */
  keyAsSent: string;
}

/**
 * Answers one line as `POST /v1/chat/completions` would, except that no rate budget applies and
 * a fault that would drop, hang or send HTML is a 500 here: a batch line always gets an answer.
 */
export function answerBatchLine(body: unknown, ctx: LineContext): LineResponse {
  const checked = checkChatRequest(body);
  if (!checked.ok) {
    const { message, param, code } = checked.problem;
    return fromReply(errors.invalidRequest(message, param, code));
  }
  const request = checked.request;
  if (request.stream) return fromReply(errors.invalidRequest('Streaming is not supported in a batch.', 'stream', 'unsupported_value'));
  if (!ctx.options.structuredOutputs && request.response_format?.type === 'json_schema') {
    const message = "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.";
    return fromReply(errors.invalidRequest(message, 'response_format'));
  }
  const prompt = promptText(request.messages);
  const inputs = { seed: ctx.options.seed, promptText: prompt, quotePrompt: ctx.options.quotePrompt };
  const promptTokens = countPromptTokens(request.messages);
  const fault = ctx.faults.pick(prompt);
  if (fault) {
    return fromReply(
      faultReply(fault, {
        model: request.model,
        promptTokens,
        seed: ctx.options.seed,
        normalContent: () => answerContent(request.response_format, inputs),
        keyAsSent: ctx.keyAsSent,
        rpm: ctx.options.rpm,
      }),
    );
  }
  const content = answerContent(request.response_format, inputs);
  return { statusCode: 200, body: chatCompletion({ model: request.model, content, promptTokens, seed: ctx.options.seed }) };
}

function fromReply(reply: ReturnType<typeof faultReply>): LineResponse {
  if (reply.type === 'json') return { statusCode: reply.status, body: reply.body };
  const failure = errors.serverError();
  return failure.type === 'json' ? { statusCode: failure.status, body: failure.body } : { statusCode: 500, body: null };
}
