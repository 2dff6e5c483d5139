import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { entryText, parseEntry } from './entry.js';

/** The folder under the cache directory that holds this format's entries, one file each. */
export const ENTRIES_FOLDER = 'v1';

/** The file of the entry for `key`: content-addressed, so processes sharing a cache never need a shared index. */
export function entryPath(dir: string, key: string): string {
  return join(dir, ENTRIES_FOLDER, `${key}.json`);
}

// Entries are small files on a local disk, read and written whole with synchronous calls: each
// asynchronous one costs a promise and a thread-pool round trip, several times the system call.

/** The answer stored for `key`, or undefined: a missing, unreadable, truncated or foreign file is a miss. */
export function readEntry(dir: string, key: string): ChatCompletion | undefined {
  let text: string;
  try {
    text = readFileSync(entryPath(dir, key), 'utf8');
  } catch {
    return undefined;
  }
  return parseEntry(text, key);
}

/**
 * Stores the answer for `key`. Written whole to a temporary file in the same folder, then renamed
 * into place: rename is atomic within a file system, so a reader in another process sees the old
 * file, the new one, or none, never half of one; two writers of one key both write a whole entry.
 */
export function writeEntry(dir: string, key: string, completion: ChatCompletion, now: Date, folder: EntriesFolder): void {
  const target = entryPath(dir, key);
  folder.ready();
  const temp = `${target}.${folder.tempSuffix()}`;
  try {
    writeFileSync(temp, entryText(key, completion, now));
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    // The folder was removed meanwhile (`verdict cache clear` from another shell): made again once.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || folder.remade) throw error;
    folder.remake();
    writeEntry(dir, key, completion, now, folder);
  }
}

/** The entries folder of a cache directory, made once for all the writes of a run rather than before each. */
export class EntriesFolder {
  private made = false;
  private written = 0;
  // Random as well as the pid: containers sharing a cache volume may each run verdict as pid 1.
  private readonly writer = `${process.pid}.${randomBytes(6).toString('hex')}`;
  remade = false;

  constructor(private readonly dir: string) {}

  ready(): void {
    if (this.made) return;
    mkdirSync(join(this.dir, ENTRIES_FOLDER), { recursive: true });
    this.made = true;
  }

  /** A temporary file's suffix no other writer uses: this writer's own name and a count of its writes. */
  tempSuffix(): string {
    return `${this.writer}.${(this.written++).toString(36)}.tmp`;
  }

  remake(): void {
    this.made = false;
    this.remade = true;
  }
}
