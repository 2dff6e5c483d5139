import { readdir, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isPackName, LEGACY_FOLDER, PACKS_FOLDER, scanPack } from './pack-index.js';

/** What a cache directory holds: its entries and their size on disk. */
export interface CacheInfo {
  dir: string;
  entries: number;
  bytes: number;
  /** When the pack last written longest ago and the one last written most recently were; null for an empty cache. */
  oldest: Date | null;
  newest: Date | null;
}

interface CacheFile {
  path: string;
  bytes: number;
  /** When it was last written: a pack's last answer. */
  modified: Date;
  /** A pack, an older layout's entry file, or a temporary file its writer left. */
  kind: 'pack' | 'entry' | 'partial';
}

/** How many whole entries a file holds: a pack's are counted by the scan a run does. */
function entriesIn(file: CacheFile): number {
  return file.kind === 'pack' ? scanPack(file.path, () => {}) : file.kind === 'entry' ? 1 : 0;
}

/**
 * The files in `folder` that `kindOf` names, with their size and time; none when the folder does not
 * exist yet. A file gone while this reads (another process clearing or pruning) is just not counted.
 */
async function filesIn(folder: string, kindOf: (name: string) => CacheFile['kind'] | undefined): Promise<CacheFile[]> {
  const names = await readdir(folder).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const files: CacheFile[] = [];
  for (const name of names) {
    const kind = kindOf(name);
    if (kind === undefined) continue;
    const path = join(folder, name);
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isFile()) files.push({ path, bytes: stats.size, modified: stats.mtime, kind });
  }
  return files;
}

/** The packs of the cache in `dir`. */
function packFiles(dir: string): Promise<CacheFile[]> {
  return filesIn(join(dir, PACKS_FOLDER), (name) => (isPackName(name) ? 'pack' : undefined));
}

/** The files of the layout before packs (`v1/<key>.json`, and `.tmp` files a writer left): nothing reads them, so clear and prune free their disk. */
function legacyFiles(dir: string): Promise<CacheFile[]> {
  return filesIn(join(dir, LEGACY_FOLDER), (name) => (name.endsWith('.json') ? 'entry' : name.endsWith('.tmp') ? 'partial' : undefined));
}

/** Counts the whole entries of the cache in `dir` (an entry sent again later is counted each time) and the bytes of its packs. */
export async function cacheInfo(dir: string): Promise<CacheInfo> {
  const packs = await packFiles(dir);
  const times = packs.map((file) => file.modified.getTime());
  return {
    dir,
    entries: packs.reduce((sum, file) => sum + entriesIn(file), 0),
    bytes: packs.reduce((sum, file) => sum + file.bytes, 0),
    // A reduce, not Math.min(...times): spreading many times overflows the call stack.
    oldest: times.length === 0 ? null : new Date(times.reduce((a, b) => Math.min(a, b))),
    newest: times.length === 0 ? null : new Date(times.reduce((a, b) => Math.max(a, b))),
  };
}

/**
 * Removes every pack from the cache in `dir`, and the files of the older layout; returns how many
 * entries went. A run writing meanwhile goes on writing to its pack, now no longer in the folder.
 */
export async function clearCache(dir: string): Promise<number> {
  const files = [...(await packFiles(dir)), ...(await legacyFiles(dir))];
  const entries = files.reduce((sum, file) => sum + entriesIn(file), 0);
  await Promise.all(files.map((file) => rm(file.path, { force: true })));
  // The older layout's folder goes too once empty; one holding anything else stays.
  await rmdir(join(dir, LEGACY_FOLDER)).catch(() => undefined);
  return entries;
}

/**
 * Removes the packs last written more than `olderThanMs` before `now` (and older-layout files as old);
 * returns how many entries went and their bytes. A pack is written to only while its run goes on, and
 * an entry is written again only when it was missed, so a pack's age is the age of its newest answer.
 */
export async function pruneCache(dir: string, olderThanMs: number, now = new Date()): Promise<{ entries: number; bytes: number }> {
  const cutoff = now.getTime() - olderThanMs;
  const old = [...(await packFiles(dir)), ...(await legacyFiles(dir))].filter((file) => file.modified.getTime() < cutoff);
  const entries = old.reduce((sum, file) => sum + entriesIn(file), 0);
  await Promise.all(old.map((file) => rm(file.path, { force: true })));
  return { entries, bytes: old.reduce((sum, file) => sum + file.bytes, 0) };
}
