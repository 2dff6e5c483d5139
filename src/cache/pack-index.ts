import { closeSync, openSync, readdirSync, readSync } from 'node:fs';
import { join } from 'node:path';

/** The folder under the cache directory that holds this layout's packs: append-only files of entries, one a line. */
export const PACKS_FOLDER = 'v2';

/** The folder of the layout before packs (one file per entry), which nothing reads any more. */
export const LEGACY_FOLDER = 'v1';

/** How every whole entry's line starts (entryText writes its fields in this order), before its 64-hex key. */
const LINE_START = Buffer.from('{"format":"verdict-cache/1","key":"', 'latin1');
const KEY_LENGTH = 64;
const HEX_KEY = /^[0-9a-f]{64}$/;
const NEWLINE = 10;
const CLOSING_BRACE = 0x7d;
const QUOTE = 0x22;

/** Packs are read in chunks this large: few system calls, and a buffer that stays small. */
const CHUNK_BYTES = 1 << 20;

/** Whether a file in the packs folder is a pack (a writer's only file there). */
export function isPackName(name: string): boolean {
  return name.endsWith('.jsonl');
}

/** The names of the packs in `dir`, oldest first (a pack's name starts with when it was made); none when there is no folder. */
export function packNames(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(join(dir, PACKS_FOLDER));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return names.filter(isPackName).sort();
}

/**
 * A key's first 13 hex digits as a number (52 bits, exact in a double): what the index holds instead of
 * the key, a number being a third of a string's size. Two keys sharing it are only a miss, since the
 * whole key is checked again in the entry read.
 */
export function keyHead(key: string): number {
  return Number.parseInt(key.slice(0, 13), 16);
}

/**
 * Calls `onEntry` with the key head and the byte offset of each whole entry in the pack at `path`, in
 * file order; returns how many there were. A line that does not start as an entry is skipped, and so
 * is a last line with no newline (a write cut short by a crash). A pack gone meanwhile has none.
 */
export function scanPack(path: string, onEntry: (head: number, offset: number) => void): number {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  let count = 0;
  try {
    let buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    // The file position of buffer[0]: always the start of a line.
    let position = 0;
    for (;;) {
      const read = readSync(fd, buffer, 0, buffer.length, position);
      let start = 0;
      for (let end = buffer.indexOf(NEWLINE, start); end !== -1 && end < read; end = buffer.indexOf(NEWLINE, start)) {
        const head = entryHead(buffer, start, end);
        if (head !== undefined) {
          onEntry(head, position + start);
          count++;
        }
        start = end + 1;
      }
      if (read < buffer.length) return count;
      // A line longer than the buffer: read it again into one twice the size.
      if (start === 0) buffer = Buffer.allocUnsafe(buffer.length * 2);
      position += start;
    }
  } finally {
    closeSync(fd);
  }
}

/** The key head of the line buffer[start, end) when it is shaped as a whole entry; undefined otherwise. */
function entryHead(buffer: Buffer, start: number, end: number): number | undefined {
  const keyStart = start + LINE_START.length;
  const keyEnd = keyStart + KEY_LENGTH;
  if (keyEnd >= end || buffer[end - 1] !== CLOSING_BRACE || buffer[keyEnd] !== QUOTE) return undefined;
  if (LINE_START.compare(buffer, start, keyStart) !== 0) return undefined;
  const key = buffer.toString('latin1', keyStart, keyEnd);
  return HEX_KEY.test(key) ? keyHead(key) : undefined;
}

// Where an entry is, as one number: the pack's index times 2^36 plus the offset in it. Both parts fit
// in a double's 53 exact bits while there are fewer than 2^17 packs and each is under 64 GiB;
// an entry beyond that is left out of the index, a miss.
const OFFSET_LIMIT = 2 ** 36;
const PACK_LIMIT = 2 ** 17;

/** Where an entry's line starts: which pack (an index into `packs`) and at which byte. */
export interface EntryPlace {
  pack: number;
  offset: number;
}

/**
 * Where each key's entry is in the packs of a cache directory, read once. The packs are scanned
 * oldest first, so a later pack's entry for a key replaces an earlier one's. About 65 bytes an entry
 * (a Map from a number to a number): 200,000 entries took 13.0 MB of heap when measured.
 */
export class PackIndex {
  private readonly places = new Map<number, number>();

  private constructor(readonly packs: readonly string[]) {}

  /** Scans the packs in `dir` (but `skip`, a pack's name); a pack that cannot be read adds nothing. */
  static build(dir: string, skip?: string): PackIndex {
    let names: string[] = [];
    try {
      names = packNames(dir).filter((name) => name !== skip);
    } catch {
      // A cache directory that cannot be listed (a file, no permission): every lookup is a miss.
    }
    const index = new PackIndex(names.map((name) => join(dir, PACKS_FOLDER, name)));
    index.packs.forEach((path, pack) => {
      if (pack >= PACK_LIMIT) return;
      try {
        scanPack(path, (head, offset) => {
          if (offset < OFFSET_LIMIT) index.places.set(head, pack * OFFSET_LIMIT + offset);
        });
      } catch {
        // Unreadable (no permission, an I/O error): its entries are misses, as a missing file's were.
      }
    });
    return index;
  }

  get size(): number {
    return this.places.size;
  }

  find(key: string): EntryPlace | undefined {
    const place = this.places.get(keyHead(key));
    if (place === undefined) return undefined;
    return { pack: Math.floor(place / OFFSET_LIMIT), offset: place % OFFSET_LIMIT };
  }
}
