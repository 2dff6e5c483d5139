import { ftruncateSync, writeSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { WriteBytes } from './write-error.js';

/** Serialised appends to one file, with the durability contract the result sinks promise. */
export interface FileAppender {
  /**
   * Appends text in one write call, after every earlier append. Resolves once the text is written to
   * the file descriptor (in the OS; it is, before this returns). After a failed write or fsync every
   * later append rejects too, because the file may end in a partial line.
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
  /** How bytes reach the file: `fs.writeSync`, unless a test injects a failing disk. */
  writeBytes?: WriteBytes;
}

/** Creates (or truncates, or with `mode: 'append'` continues) `path` and returns an appender to it. */
export async function openAppender(path: string, options: AppenderOptions = {}): Promise<FileAppender> {
  const syncIntervalMs = options.syncIntervalMs ?? 1000;
  const handle = await open(path, options.mode === 'append' ? 'a' : 'w');
  const writeBytes: WriteBytes = options.writeBytes ?? writeSync;

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

  // Where the last whole append ends: a failed write is cut back to it, so the file never ends in part of a line.
  let wholeSize = (await handle.stat()).size;
  const writeAll = (bytes: Buffer): void => {
    let offset = 0;
    try {
      // One call in practice; the loop only guards against a short write (e.g. a nearly full disk).
      while (offset < bytes.length) offset += writeBytes(handle.fd, bytes, offset, bytes.length - offset);
    } catch (error) {
      // A full disk (or a file-size limit) may take part of a record before it refuses the rest.
      if (offset > 0) {
        try {
          ftruncateSync(handle.fd, wholeSize);
        } catch {
          // The write's own error is the one to report.
        }
      }
      throw error;
    }
    wholeSize += bytes.length;
  };

  // Written at once, on this thread: a record of a few hundred bytes reaches the page cache in
  // microseconds, where a thread-pool write costs a round trip (and, on a busy machine, a context
  // switch) per call. The fsync, which can take milliseconds, stays off this thread.
  const append = (text: string): Promise<void> => {
    if (closing !== undefined) return Promise.reject(new Error(`${path} is already closed`));
    if (failed) return Promise.reject(failure);
    try {
      writeAll(Buffer.from(text, 'utf8'));
    } catch (error) {
      fail(error);
      return Promise.reject(failure);
    }
    dirty = true;
    scheduleSync();
    return WRITTEN;
  };

  const closeOnce = async (): Promise<void> => {
    if (syncTimer !== undefined) clearTimeout(syncTimer);
    syncTimer = undefined;
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

/** What every successful append returns: the record is written by the time it is handed back. */
const WRITTEN: Promise<void> = Promise.resolve();
