import type { FileHandle } from 'node:fs/promises';

/** Writes `length` bytes of `bytes` from `offset` to an open file: `handle.write`, unless a test injects a failing disk. */
export type WriteBytes = (handle: FileHandle, bytes: Buffer, offset: number, length: number) => Promise<{ bytesWritten: number }>;

/**
 * A results file could not be written (a full disk, a read-only or vanished file system, an I/O
 * error). The run stops as on Ctrl-C; the message names the file and the system's error.
 */
export class ResultsWriteError extends Error {
  override name = 'ResultsWriteError';
  /** The system's error code (ENOSPC, EROFS, EIO, EACCES, …), when it has one. */
  readonly code: string | undefined;
  constructor(readonly path: string, override readonly cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(`cannot write ${path}: ${detail}`);
    this.code = (cause as NodeJS.ErrnoException | undefined)?.code;
  }
}

/** The failure as a ResultsWriteError naming `path`, unless it is one already. */
export function writeErrorOf(path: string, error: unknown): ResultsWriteError {
  return error instanceof ResultsWriteError ? error : new ResultsWriteError(path, error);
}
