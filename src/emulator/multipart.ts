import type { IncomingMessage } from 'node:http';
import { BodyTooLargeError } from './http-io.js';

/** Reads the whole request body as bytes, refusing more than `maxBytes`. */
export async function readBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) throw new BodyTooLargeError(`request body exceeds ${maxBytes} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/**
 * Parses a `multipart/form-data` body (what `client.files.create` sends) with the Web platform's
 * own parser; undefined when the content type is not multipart or the body does not parse.
 */
export async function parseFormData(contentType: string | undefined, body: Buffer): Promise<FormData | undefined> {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  try {
    return await new Request('http://emulator/upload', { method: 'POST', headers: { 'content-type': contentType }, body }).formData();
  } catch {
    return undefined;
  }
}
