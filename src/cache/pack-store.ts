import { closeSync, mkdirSync, openSync, readSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { entryText, parseEntry } from './entry.js';
import { PackIndex, PACKS_FOLDER, type EntryPlace } from './pack-index.js';

export interface PackStoreOptions {
  dir: string;
  /** The cache could not be written (a full disk, no permission): said once, and the run goes on without writing. */
  onWriteFailure?: (message: string) => void;
}

// Entries are read and written with synchronous calls: each asynchronous one costs a promise and a
// thread-pool round trip, several times the system call (a hit's read takes a few µs).

/** Packs whose file stays open for reading: the ones hit first. A hit in any other opens and closes its pack (a few µs more). */
const OPEN_PACKS = 32;

/**
 * One run's store in a cache directory, shared by all the run's judges. It reads the packs that were
 * there at its first lookup, and appends the answers it is given to a pack of its own, one line each,
 * made at its first write. Nothing is locked: every process writes only its own pack. An answer
 * written during the run is not looked up again until the next run, so memory does not grow with the
 * dataset. No fsync: the results file is the durable record, and an entry lost to a crash is a miss.
 */
export class PackStore {
  private index?: PackIndex;
  private readonly readers = new Map<number, number>();
  private buffer = Buffer.allocUnsafe(16_384);
  private pack?: { name: string; fd: number };
  private writeFailed = false;
  private closed = false;

  constructor(private readonly options: PackStoreOptions) {}

  /** The answer stored for `key`, or undefined: a missing, unreadable, cut or foreign entry is a miss. */
  read(key: string): ChatCompletion | undefined {
    if (this.closed) return undefined;
    this.index ??= PackIndex.build(this.options.dir, this.pack?.name);
    const place = this.index.find(key);
    if (!place) return undefined;
    const line = this.lineAt(place);
    return line === undefined ? undefined : parseEntry(line, key);
  }

  /** Appends the answer for `key` to this run's pack; after a failed write, nothing more is written. */
  write(key: string, completion: ChatCompletion, now: Date): void {
    if (this.writeFailed || this.closed) return;
    try {
      this.pack ??= this.openPack(now);
      // One write of a whole line: a process scanning this pack meanwhile, or after a crash, finds
      // whole lines and at most a last one cut short, which it skips.
      const line = Buffer.from(entryText(key, completion, now));
      const written = writeSync(this.pack.fd, line);
      if (written !== line.length) throw new Error(`wrote ${written} of ${line.length} bytes`);
    } catch (error) {
      this.writeFailed = true;
      this.options.onWriteFailure?.(`could not write to the response cache in ${this.options.dir} (${(error as Error).message}); answers are not cached for the rest of this run`);
    }
  }

  /** Closes the run's pack and the packs open for reading; the store reads and writes nothing after. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const fds = [...this.readers.values(), ...(this.pack ? [this.pack.fd] : [])];
    this.readers.clear();
    for (const fd of fds) closeQuietly(fd);
  }

  /**
   * A new pack named by when it was made (so names sort oldest first), the pid and random hex: containers
   * sharing a cache volume may each run verdict as pid 1. `verdict cache clear` from another shell while
   * this run writes leaves it writing to a file no longer in the folder: those answers are lost, only misses.
   */
  private openPack(now: Date): { name: string; fd: number } {
    const stamp = now.toISOString().replace(/[-:.]/g, '');
    const name = `${stamp}-${process.pid}-${randomBytes(6).toString('hex')}.jsonl`;
    const path = join(this.options.dir, PACKS_FOLDER, name);
    try {
      return { name, fd: openSync(path, 'ax') };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(join(this.options.dir, PACKS_FOLDER), { recursive: true });
      return { name, fd: openSync(path, 'ax') };
    }
  }

  /** The line that starts at `place`, newline included; undefined when it cannot be read whole. */
  private lineAt(place: EntryPlace): string | undefined {
    let fd = this.readers.get(place.pack);
    const keep = fd !== undefined || this.readers.size < OPEN_PACKS;
    try {
      fd ??= openSync(this.index!.packs[place.pack]!, 'r');
      if (keep) this.readers.set(place.pack, fd);
      return this.readLine(fd, place.offset);
    } catch {
      // A pack removed by `verdict cache prune` or `clear` since the scan, or an I/O error: a miss.
      return undefined;
    } finally {
      if (!keep && fd !== undefined) closeQuietly(fd);
    }
  }

  private readLine(fd: number, offset: number): string | undefined {
    for (;;) {
      const read = readSync(fd, this.buffer, 0, this.buffer.length, offset);
      const end = this.buffer.indexOf(10, 0);
      if (end !== -1 && end < read) return this.buffer.toString('utf8', 0, end + 1);
      if (read < this.buffer.length) return undefined;
      this.buffer = Buffer.allocUnsafe(this.buffer.length * 2);
    }
  }
}

/** A cache file that fails to close has nothing to lose (every write went out whole, or was said to fail): not the run's concern. */
function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing to do.
  }
}
