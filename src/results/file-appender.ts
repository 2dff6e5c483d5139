import { open } from 'node:fs/promises';
import type { WriteBytes } from './write-error.js';

/** Serialised appends to one file, with the durability contract the result sinks promise. */
export interface FileAppender {
  /**
   * Appends text in one write call, after every earlier append. Resolves once the text is written to
   * the file descriptor (in the OS). After a failed write or fsync every later append rejects too,
   * because the file may end in a partial line.
   */
  append(text: string): Promise<void>;
  /** Waits for pending appends, fsyncs and closes the file; rejects with the first failure seen. */
  close(): Promise<void>;
}

/** Options of {@link openAppender}. */
export interface AppenderOptions {
  /** Shortest time between two fsyncs while the file has unsynced writes (ms). */
  syncIntervalMs?: number;
  /** `append` keeps what the file holds (a resumed run); the default starts it empty. */
  mode?: 'truncate' | 'append';
  /** How bytes reach the file: `handle.write`, unless a test injects a failing disk. */
  writeBytes?: WriteBytes;
}

/** Creates (or truncates, or with `mode: 'append'` continues) `path` and returns an appender to it. */
export async function openAppender(path: string, options: AppenderOptions = {}): Promise<FileAppender> {
  const syncIntervalMs = options.syncIntervalMs ?? 1000;
  const handle = await open(path, options.mode === 'append' ? 'a' : 'w');
  const writeBytes: WriteBytes = options.writeBytes ?? ((target, bytes, offset, length) => target.write(bytes, offset, length));

  // The running flush of batched appends; it never rejects, so a failure does not surface as unhandled.
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown;
  let failed = false;
  let dirty = false;
  let syncTimer: NodeJS.Timeout | undefined;
  let syncing: Promise<void> = Promise.resolve();
  let closing: Promise<void> | undefined;

  const fail = (error: unknown): void => {
    if (!failed) {
      failed = true;
      failure = error;
    }
  };

  const syncNow = async (): Promise<void> => {
    if (!dirty || failed) return;
    dirty = false;
    try {
      await handle.sync();
    } catch (error) {
      fail(error);
    }
  };

  // fsync costs milliseconds on a real disk; once a second bounds what a power cut can lose
  // without slowing a fast run. A crash of the process alone loses nothing already written.
  const scheduleSync = (): void => {
    if (syncTimer !== undefined || closing !== undefined) return;
    syncTimer = setTimeout(() => {
      syncTimer = undefined;
      syncing = syncing.then(syncNow);
    }, syncIntervalMs);
    syncTimer.unref();
  };

  // Where the last whole batch ends: a failed write is cut back to it, so the file never ends in part of a line.
  let wholeSize = (await handle.stat()).size;
  const writeAll = async (bytes: Buffer): Promise<void> => {
    let offset = 0;
    try {
      // One call in practice; the loop only guards against a short write (e.g. a nearly full disk).
      while (offset < bytes.length) {
        const { bytesWritten } = await writeBytes(handle, bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
    } catch (error) {
      // A full disk (or a file-size limit) may take part of a batch before it refuses the rest.
      if (offset > 0) await handle.truncate(wholeSize).catch(() => {});
      throw error;
    }
    wholeSize += bytes.length;
  };

  // Group commit: appends that arrive while a write is in flight wait together and go out as one
  // write call. Each still resolves only once its own bytes are written, but a busy run costs one
  // thread-pool round trip per batch instead of one per record.
  interface Waiter {
    resolve: () => void;
    reject: (error: unknown) => void;
  }
  let batch: { chunks: Buffer[]; waiters: Waiter[] } = { chunks: [], waiters: [] };
  let writing = false;

  const flushBatches = async (): Promise<void> => {
    writing = true;
    while (batch.chunks.length > 0) {
      const current = batch;
      batch = { chunks: [], waiters: [] };
      try {
        if (failed) throw failure;
        await writeAll(current.chunks.length === 1 ? current.chunks[0]! : Buffer.concat(current.chunks));
        dirty = true;
        scheduleSync();
        for (const waiter of current.waiters) waiter.resolve();
      } catch (error) {
        fail(error);
        for (const waiter of current.waiters) waiter.reject(failure);
      }
    }
    writing = false;
  };

  const append = (text: string): Promise<void> => {
    if (closing !== undefined) return Promise.reject(new Error(`${path} is already closed`));
    if (failed) return Promise.reject(failure);
    const done = new Promise<void>((resolve, reject) => {
      batch.chunks.push(Buffer.from(text, 'utf8'));
      batch.waiters.push({ resolve, reject });
    });
    if (!writing) queue = flushBatches();
    return done;
  };

  const closeOnce = async (): Promise<void> => {
    if (syncTimer !== undefined) clearTimeout(syncTimer);
    syncTimer = undefined;
    await queue;
    await syncing;
    await syncNow();
    await handle.close();
    if (failed) throw failure;
  };

  return {
    append,
    close() {
      closing ??= closeOnce();
      return closing;
    },
  };
}
