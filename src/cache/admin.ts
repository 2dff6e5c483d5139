import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ENTRIES_FOLDER } from './store.js';

/** What a cache directory holds: its entries and their size on disk. */
export interface CacheInfo {
  dir: string;
  entries: number;
  bytes: number;
  /** When the oldest and the newest entry were written; null for an empty cache. */
  oldest: Date | null;
  newest: Date | null;
}

interface EntryFile {
  path: string;
  bytes: number;
  modified: Date;
  /** A temporary file left by a writer that died before renaming it. */
  partial: boolean;
}

/** The files of the cache in `dir`; none when it does not exist yet. */
async function entryFiles(dir: string): Promise<EntryFile[]> {
  const folder = join(dir, ENTRIES_FOLDER);
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const files: EntryFile[] = [];
  for (const name of names) {
    const path = join(folder, name);
    // Another process may clear or prune while this one reads: a file gone is just not counted.
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) continue;
    files.push({ path, bytes: stats.size, modified: stats.mtime, partial: name.endsWith('.tmp') });
  }
  return files;
}

/** Counts the entries of the cache in `dir` and their bytes. */
export async function cacheInfo(dir: string): Promise<CacheInfo> {
  const entries = (await entryFiles(dir)).filter((file) => !file.partial);
  const times = entries.map((file) => file.modified.getTime());
  return {
    dir,
    entries: entries.length,
    bytes: entries.reduce((sum, file) => sum + file.bytes, 0),
    // A reduce, not Math.min(...times): spreading a large cache's times overflows the call stack.
    oldest: times.length === 0 ? null : new Date(times.reduce((a, b) => Math.min(a, b))),
    newest: times.length === 0 ? null : new Date(times.reduce((a, b) => Math.max(a, b))),
  };
}

/** Removes every entry (and any temporary file) from the cache in `dir`; returns how many entries went. */
export async function clearCache(dir: string): Promise<number> {
  const files = await entryFiles(dir);
  await Promise.all(files.map((file) => rm(file.path, { force: true })));
  return files.filter((file) => !file.partial).length;
}

/**
 * Removes the entries last written more than `olderThanMs` before `now`, and temporary files as old;
 * returns how many entries went and their bytes. An entry is rewritten only when it was missed, so
 * its age is the age of its answer.
 */
export async function pruneCache(dir: string, olderThanMs: number, now = new Date()): Promise<{ entries: number; bytes: number }> {
  const cutoff = now.getTime() - olderThanMs;
  const old = (await entryFiles(dir)).filter((file) => file.modified.getTime() < cutoff);
  await Promise.all(old.map((file) => rm(file.path, { force: true })));
  const entries = old.filter((file) => !file.partial);
  return { entries: entries.length, bytes: entries.reduce((sum, file) => sum + file.bytes, 0) };
}
