/**
 * The Batch API's endpoints: `POST /v1/files` (multipart, as `client.files.create` sends it),
 * `GET /v1/files/:id`, `GET /v1/files/:id/content`, `POST /v1/batches`, `GET /v1/batches`,
 * `GET /v1/batches/:id` and `POST /v1/batches/:id/cancel`. Every one needs a bearer token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { authFailure, keyAsSent } from './auth.js';
import { batchEndpoint, batchFileLimits } from './batch-lines.js';
import type { BatchStore, StoredFile } from './batch-store.js';
import { requestId } from './completion.js';
import { bodyTooLarge, errorReply, invalidRequest, unparsableBody } from './errors.js';
import type { FaultPicker } from './faults.js';
import { BodyTooLargeError, readBytes, sendReply, type Reply } from './http-io.js';
import { parseFormData } from './multipart.js';
import type { ResolvedOptions } from './options.js';

/** What the batch routes need from the emulator that owns them. */
export interface BatchRouteContext {
  options: ResolvedOptions;
  store: BatchStore;
  /** The current fault picker: faults apply to batch lines as to chat requests. */
  faults: () => FaultPicker;
}

// A 200 MB batch file plus the multipart framing around it.
const maxUploadBytes = batchFileLimits.maxBytes + 1024 * 1024;
const filePurposes = ['batch', 'fine-tune', 'assistants', 'user', 'vision', 'evals'];

/** Answers a Batch API request; false when the path is not one of these endpoints. */
export async function handleBatchRoute(req: IncomingMessage, res: ServerResponse, path: string, ctx: BatchRouteContext): Promise<boolean> {
  const method = req.method ?? 'GET';
  const parts = path.split('/').slice(1); // ['v1', 'files' | 'batches', id?, action?]
  if (parts[0] !== 'v1' || (parts[1] !== 'files' && parts[1] !== 'batches') || parts.length > 4) return false;
  const [, collection, id, action] = parts;
  const route = `${method} ${collection}${id === undefined ? '' : '/:id'}${action === undefined ? '' : `/${action}`}`;
  const handlers: Record<string, () => Promise<Reply | 'sent'>> = {
    'POST files': () => upload(req, ctx),
    'GET files/:id': async () => withFile(ctx.store.file(id!), id!, fileObject),
    'GET files/:id/content': async () => sendContent(res, ctx.store.download(id!)) ?? notFoundFile(id!),
    'POST batches': () => createBatch(req, ctx),
    'GET batches': async () => listBatches(req, ctx.store),
    'GET batches/:id': async () => json(ctx.store.retrieve(id!)) ?? notFoundBatch(id!),
    'POST batches/:id/cancel': async () => {
      const cancelled = ctx.store.cancel(id!);
      if (cancelled === undefined) return notFoundBatch(id!);
      return typeof cancelled === 'string' ? errorReply(409, { message: cancelled, type: 'invalid_request_error' }) : json(cancelled)!;
    },
  };
  const handler = handlers[route];
  if (!handler) return false;
  const unauthorized = authFailure(req.headers.authorization, ctx.options.apiKey);
  if (unauthorized) {
    req.resume();
    sendReply(res, unauthorized, { 'x-request-id': requestId() });
    return true;
  }
  if (method === 'GET') req.resume();
  const reply = await handler();
  if (reply !== 'sent') sendReply(res, reply, { 'x-request-id': requestId() });
  return true;
}

async function upload(req: IncomingMessage, ctx: BatchRouteContext): Promise<Reply> {
  let body: Buffer;
  try {
    body = await readBytes(req, maxUploadBytes);
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLarge();
    throw error;
  }
  const form = await parseFormData(req.headers['content-type'], body);
  if (!form) return invalidRequest('The request must be multipart/form-data with a file and a purpose.');
  const purpose = form.get('purpose');
  const file = form.get('file');
  if (typeof purpose !== 'string') return invalidRequest("Missing required parameter: 'purpose'.", 'purpose', 'missing_required_parameter');
  if (!filePurposes.includes(purpose)) return invalidRequest(`Invalid value for 'purpose': '${purpose}'.`, 'purpose', 'invalid_value');
  if (file === null || typeof file === 'string') return invalidRequest("Missing required parameter: 'file'.", 'file', 'missing_required_parameter');
  if (purpose === 'batch' && !file.name.toLowerCase().endsWith('.jsonl')) {
    return invalidRequest('Invalid file format for Batch API. Must be .jsonl', 'file', 'invalid_file_format');
  }
  const stored = ctx.store.addFile(file.name, purpose, Buffer.from(await file.arrayBuffer()));
  return json(fileObject(stored))!;
}

async function createBatch(req: IncomingMessage, ctx: BatchRouteContext): Promise<Reply> {
  let request: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse((await readBytes(req, 1024 * 1024)).toString('utf8'));
    request = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch (error) {
    if (error instanceof BodyTooLargeError) return bodyTooLarge();
    return unparsableBody();
  }
  const { input_file_id: inputFileId, endpoint, completion_window: window, metadata } = request;
  if (typeof inputFileId !== 'string') return invalidRequest("Missing required parameter: 'input_file_id'.", 'input_file_id', 'missing_required_parameter');
  if (endpoint !== batchEndpoint) {
    return invalidRequest(`Invalid value for 'endpoint': the verdict emulator runs batches for '${batchEndpoint}' only.`, 'endpoint', 'invalid_value');
  }
  if (window !== '24h') return invalidRequest("Invalid value for 'completion_window': only '24h' is supported.", 'completion_window', 'invalid_value');
  const input = ctx.store.file(inputFileId);
  if (!input) return notFoundFile(inputFileId);
  if (input.purpose !== 'batch') {
    return invalidRequest(`The input file ${inputFileId} must have purpose 'batch', not '${input.purpose}'.`, 'input_file_id', 'invalid_value');
  }
  const created = ctx.store.createBatch(
    input,
    { endpoint, completionWindow: window, metadata: isStringRecord(metadata) ? metadata : null },
    { options: ctx.options, faults: ctx.faults(), keyAsSent: keyAsSent(req.headers.authorization) },
  );
  return json(created)!;
}

function listBatches(req: IncomingMessage, store: BatchStore): Reply {
  const query = new URL(req.url ?? '/', 'http://emulator').searchParams;
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 20) || 20));
  const all = store.list();
  const after = query.get('after');
  const start = after === null ? 0 : all.findIndex((batch) => batch.id === after) + 1;
  const data = all.slice(start, start + limit);
  return json({
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data.at(-1)?.id ?? null,
    has_more: start + limit < all.length,
  })!;
}

function sendContent(res: ServerResponse, file: StoredFile | undefined): 'sent' | undefined {
  if (!file) return undefined;
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': file.bytes.length,
    'x-request-id': requestId(),
  });
  res.end(file.bytes);
  return 'sent';
}

function fileObject(file: StoredFile): Record<string, unknown> {
  return {
    id: file.id,
    object: 'file',
    bytes: file.bytes.length,
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  };
}

function withFile(file: StoredFile | undefined, id: string, view: (file: StoredFile) => unknown): Reply {
  return file ? json(view(file))! : notFoundFile(id);
}

function json(body: unknown): Reply | undefined {
  return body === undefined ? undefined : { type: 'json', status: 200, body };
}

function notFoundFile(id: string): Reply {
  return errorReply(404, { message: `No such File object: ${id}`, type: 'invalid_request_error', param: 'id' });
}

function notFoundBatch(id: string): Reply {
  return errorReply(404, { message: `No batch found with id '${id}'.`, type: 'invalid_request_error', param: 'id' });
}

function isStringRecord(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && Object.values(value).every((v) => typeof v === 'string');
}
