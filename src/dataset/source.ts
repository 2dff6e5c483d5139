import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Readable, Transform } from 'node:stream';
import { InputError } from '../errors.js';

/** Where a reader gets its bytes: a name for error messages and a way to start reading from the top. */
export interface ByteSource {
  /** The path as the user gave it, or `<stdin>`. */
  readonly file: string;
  /** Opens a fresh stream over the whole input; each pass over a dataset calls it once. */
  open(): Readable;
}

/** A source that streams a file from disk on every pass. */
export function fileSource(path: string): ByteSource {
  return { file: path, open: () => createReadStream(path) };
}

/** A source served from bytes already in memory (stdin, which can be read only once). */
export function memorySource(file: string, bytes: Buffer): ByteSource {
  // An array around the buffer, so that Readable.from yields it as one chunk instead of byte by byte.
  return { file, open: () => Readable.from([bytes]) };
}

/** Reads a stream to its end; string chunks (a stream with an encoding set) are taken as UTF-8. */
export async function readAllBytes(file: string, stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of stream) {
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk));
    }
  } catch (error) {
    throw readFailure(file, error);
  }
  return Buffer.concat(chunks);
}

/** Turns an I/O failure met while reading into an InputError naming the file. */
export function readFailure(file: string, error: unknown): InputError {
  if (error instanceof InputError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new InputError({ file }, 'file not found');
  if (code === 'EISDIR') return new InputError({ file }, 'is a directory, not a dataset file');
  if (code === 'EACCES' || code === 'EPERM') return new InputError({ file }, 'permission denied');
  const detail = error instanceof Error ? error.message : String(error);
  return new InputError({ file }, `cannot read the file (${detail})`);
}

/** Drops a leading UTF-8 byte order mark, which editors on Windows like to add. */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** sha256 (hex) of everything a source serves, streamed so a large file is never held whole. */
export async function digestOf(source: ByteSource): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of source.open()) hash.update(chunk as Buffer);
  } catch (error) {
    throw readFailure(source.file, error);
  }
  return hash.digest('hex');
}

/**
 * A source whose first pass (the pre-flight) also computes its sha256 on the way, so that the run's
 * manifest does not read the whole dataset a third time. `digest()` serves that digest when the first
 * pass read to the end; otherwise (it stopped early at --limit, or failed) it reads the source.
 */
export function digestingSource(source: ByteSource): { source: ByteSource; digest(): Promise<string> } {
  let firstOpened = false;
  /** Set when the first pass reads to the end. */
  let digest: string | undefined;
  return {
    source: {
      file: source.file,
      open() {
        const stream = source.open();
        if (firstOpened) return stream;
        firstOpened = true;
        const hash = createHash('sha256');
        const tap = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            hash.update(chunk);
            done(null, chunk);
          },
          flush(done) {
            digest = hash.digest('hex');
            done();
          },
        });
        // pipeline, not pipe: a read error reaches the reader through the tap, and a reader that
        // stops early closes the file.
        return pipeline(stream, tap, () => {});
      },
    },
    digest: () => (digest !== undefined ? Promise.resolve(digest) : digestOf(source)),
  };
}
