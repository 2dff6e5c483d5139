import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PACKS_FOLDER } from '../../src/cache/pack-index.js';

/** The pack files of a cache directory, oldest first; none when it has no pack folder. */
export async function packsIn(cacheDir: string): Promise<string[]> {
  const names = await readdir(path.join(cacheDir, PACKS_FOLDER)).catch(() => []);
  return names.filter((name) => name.endsWith('.jsonl')).sort();
}

/** One line of a pack, as written: the entry's key and its parsed fields. */
export interface PackedEntry {
  pack: string;
  key: string;
  completion: { choices: { message: { content: string } }[] };
}

/** Every line of every pack, parsed; a line that does not parse fails the test. */
export async function entriesIn(cacheDir: string): Promise<PackedEntry[]> {
  const entries: PackedEntry[] = [];
  for (const pack of await packsIn(cacheDir)) {
    const text = await readFile(path.join(cacheDir, PACKS_FOLDER, pack), 'utf8');
    for (const line of text.split('\n').slice(0, -1)) entries.push({ pack, ...(JSON.parse(line) as Omit<PackedEntry, 'pack'>) });
  }
  return entries;
}
