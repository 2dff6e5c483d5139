import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the emulator sends for one request. */
export type Reply =
  | {
      type: 'json';
      status: number;
      body: unknown;
      headers?: Record<string, string>;
      /** The wait this answer asks for, wherever its dialect writes it (the emulator's cooldown check reads it). */
      announcedWaitMs?: number;
    }
  | { type: 'html'; status: number; body: string }
  /** Destroy the socket without a response. */
  | { type: 'drop' }
  /** Send nothing; the request stays open until the client or the emulator closes it. */
  | { type: 'hang' };

/** The HTTP status a reply carries; 0 when none is sent. */
export function replyStatus(reply: Reply): number {
  return reply.type === 'json' || reply.type === 'html' ? reply.status : 0;
}

/** Thrown by readBody when the body exceeds its limit. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

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

/** Reads the whole request body as UTF-8, refusing more than `maxBytes`. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return (await readBytes(req, maxBytes)).toString('utf8');
}

/** Writes a reply, unless the client has already gone. */
export function sendReply(res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded) return;
  switch (reply.type) {
    case 'json': {
      const payload = JSON.stringify(reply.body);
      res.writeHead(reply.status, {
        ...extraHeaders,
        ...reply.headers,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(payload),
      });
      res.end(payload);
      return;
    }
    case 'html':
      res.writeHead(reply.status, {
        ...extraHeaders,
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(reply.body),
      });
      res.end(reply.body);
      return;
    case 'drop':
      res.socket?.destroy();
      return;
    case 'hang':
      return;
  }
}
