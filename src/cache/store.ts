import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { entryText, parseEntry } from './entry.js';

/** The folder under the cache directory that holds this format's entries, one file each. */
export const ENTRIES_FOLDER = 'v1';

/** The file of the entry for `key`: content-addressed, so processes sharing a cache never need a shared index. */
export function entryPath(dir: string, key: string): string {
  return join(dir, ENTRIES_FOLDER, `${key}.json`);
}

/** The answer stored for `key`, or undefined: a missing, unreadable, truncated or foreign file is a miss. */
export async function readEntry(dir: string, key: string): Promise<ChatCompletion | undefined> {
  let text: string;
  try {
    text = await readFile(entryPath(dir, key), 'utf8');
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
export async function writeEntry(dir: string, key: string, completion: ChatCompletion, now: Date, folder: EntriesFolder): Promise<void> {
  const target = entryPath(dir, key);
  await folder.ready();
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, entryText(key, completion, now));
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    // The folder was removed meanwhile (`verdict cache clear` from another shell): made again once.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || folder.remade) throw error;
    folder.remake();
    await writeEntry(dir, key, completion, now, folder);
  }
}

/** The entries folder of a cache directory, made once for all the writes of a run rather than before each. */
export class EntriesFolder {
  private made: Promise<unknown> | undefined;
  remade = false;

  constructor(private readonly dir: string) {}

  ready(): Promise<unknown> {
    this.made ??= mkdir(join(this.dir, ENTRIES_FOLDER), { recursive: true });
    return this.made;
  }

  remake(): void {
    this.made = undefined;
    this.remade = true;
  }
}
