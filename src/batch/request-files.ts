import { open, type FileHandle } from 'node:fs/promises';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { UsageError } from '../errors.js';
import type { SamplingParams } from '../dialect/params.js';
import type { JsonSchemaResponseFormat } from '../judge/json-schema.js';
import type { ChatMessage } from '../prompt/template.js';

/** What one batch input file may hold (OpenAI: 50,000 requests and 200 MB). */
export interface BatchLimits {
  maxRequests: number;
  maxBytes: number;
}

/** OpenAI's limits on a batch input file. */
export const DEFAULT_BATCH_LIMITS: Readonly<BatchLimits> = { maxRequests: 50_000, maxBytes: 200 * 1024 * 1024 };

/** The endpoint every request line targets. */
export const BATCH_ENDPOINT = '/v1/chat/completions';

/** What every request of a run shares: the judge's settings. */
export interface RequestSettings {
  model: string;
  /** Temperature, reasoning effort and token limit, as the synchronous path would send them first. */
  sampling: SamplingParams;
  responseFormat: JsonSchemaResponseFormat;
}

/**
 * One line of a batch input file. The body is the request the synchronous path sends for the row
 * (same model, messages, temperature, max_completion_tokens and strict response_format), so an
 * answer reads the same either way; custom_id is the row id, to join the output on.
 */
export function requestLine(id: string, messages: ChatMessage[], settings: RequestSettings): string {
  const body: ChatCompletionCreateParamsNonStreaming = {
    model: settings.model,
    messages,
    ...settings.sampling,
    response_format: settings.responseFormat,
  };
  return `${JSON.stringify({ custom_id: id, method: 'POST', url: BATCH_ENDPOINT, body })}\n`;
}

/** A request file written to disk. */
export interface RequestFile {
  path: string;
  requests: number;
  bytes: number;
}

/**
 * Writes request lines to as many files as the limits need (`pathOf(1)`, `pathOf(2)`, …), each
 * within `limits.maxRequests` lines and `limits.maxBytes` bytes; lines stream to disk, so memory
 * holds one line at a time. A single line over the byte limit can never be sent: a UsageError.
 */
export async function writeRequestFiles(lines: AsyncIterable<{ id: string; line: string }>, pathOf: (index: number) => string, limits: BatchLimits): Promise<RequestFile[]> {
  const files: RequestFile[] = [];
  let handle: FileHandle | undefined;
  let current: RequestFile | undefined;
  // Lines are written in chunks of about a megabyte rather than one write call each.
  let pending: string[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pending.length > 0) await handle!.write(pending.join(''));
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const { id, line } of lines) {
      const bytes = Buffer.byteLength(line);
      if (bytes > limits.maxBytes) {
        throw new UsageError(`the request for row "${id}" is ${bytes} bytes, more than a batch file may hold (${limits.maxBytes})`, 'shorten the row or the prompt, or grade it with "verdict run" without --batch');
      }
      if (!current || current.requests >= limits.maxRequests || current.bytes + bytes > limits.maxBytes) {
        await flush();
        await handle?.close();
        current = { path: pathOf(files.length + 1), requests: 0, bytes: 0 };
        files.push(current);
        handle = await open(current.path, 'w');
      }
      pending.push(line);
      pendingBytes += bytes;
      if (pendingBytes >= 1024 * 1024) await flush();
      current.requests++;
      current.bytes += bytes;
    }
    await flush();
  } finally {
    await handle?.close();
  }
  return files;
}
