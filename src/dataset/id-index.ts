import { freeNow } from '../memory/free-now.js';

/**
 * The ids of a dataset's rows, each with the row number that first had it, held compactly.
 *
 * A Map<string, number> costs about 100 bytes an id on V8 (the string, its hash-table entry and
 * the table's slack), all of it in the garbage-collected heap, where every full collection walks
 * it again: over a million rows, ~100 MB that the pre-flight pass held and the GC re-marked. Here
 * the ids' bytes sit end to end in one buffer and the table is typed arrays, about the id's length
 * plus 16-24 bytes an id, outside the heap the GC walks.
 *
 * Ids are compared exactly: a well-formed string is stored as UTF-8 (one string, one byte
 * sequence), and one with a lone surrogate, which UTF-8 cannot hold, as 0xFF (a byte UTF-8 never
 * uses) followed by its UTF-16 code units.
 */
export class IdIndex {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private bytesUsed = 0;
  /** Entry i's bytes are [ends[i - 1] (0 for the first), ends[i]). */
  private ends = new Uint32Array(1024);
  private rowNumbers = new Uint32Array(1024);
  /** Open addressing, linear probing: entry index + 1, or 0 for an empty slot. */
  private slots = new Int32Array(2048);
  private count = 0;
  /** The id being looked up, encoded; reused so that a lookup allocates nothing. */
  private key = Buffer.allocUnsafe(256);

  /** Ids held. */
  get size(): number {
    return this.count;
  }

  /**
   * Adds `id`, first seen at `rowNumber`; if it is already held, leaves it and returns the row
   * number it was first seen at.
   */
  add(id: string, rowNumber: number): number | undefined {
    const length = this.encode(id);
    const hash = hashOf(this.key, 0, length);
    const mask = this.slots.length - 1;
    let slot = hash & mask;
    for (let entry = this.slots[slot]!; entry !== 0; entry = this.slots[slot]!) {
      if (this.matches(entry - 1, length)) return this.rowNumbers[entry - 1];
      slot = (slot + 1) & mask;
    }
    this.append(length, rowNumber);
    this.slots[slot] = this.count;
    if (this.count * 2 > this.slots.length) this.rehash();
    return undefined;
  }

  /** The ids, in the order they were added. */
  *ids(): IterableIterator<string> {
    for (let i = 0; i < this.count; i++) {
      const start = i === 0 ? 0 : this.ends[i - 1]!;
      const end = this.ends[i]!;
      yield end > start && this.bytes[start] === 0xff ? this.bytes.toString('utf16le', start + 1, end) : this.bytes.toString('utf8', start, end);
    }
  }

  /** Writes `id` into `key`; returns its length in bytes. */
  private encode(id: string): number {
    const wellFormed = !surrogate.test(id) || !loneSurrogate.test(id);
    const most = wellFormed ? id.length * 3 : 1 + id.length * 2;
    if (most > this.key.length) this.key = Buffer.allocUnsafe(Math.max(most, this.key.length * 2));
    if (wellFormed) return this.key.write(id, 0, 'utf8');
    this.key[0] = 0xff;
    return 1 + this.key.write(id, 1, 'utf16le');
  }

  private matches(entry: number, length: number): boolean {
    const start = entry === 0 ? 0 : this.ends[entry - 1]!;
    if (this.ends[entry]! - start !== length) return false;
    for (let i = 0; i < length; i++) if (this.bytes[start + i] !== this.key[i]) return false;
    return true;
  }

  private append(length: number, rowNumber: number): void {
    if (this.bytesUsed + length > 0xffff_ffff || rowNumber > 0xffff_ffff) {
      throw new RangeError('too many row ids to check for duplicates (more than 4 GiB of ids or 4 billion rows)');
    }
    if (this.bytesUsed + length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.bytesUsed + length));
      this.bytes.copy(grown, 0, 0, this.bytesUsed);
      freeNow(this.bytes);
      this.bytes = grown;
    }
    if (this.count === this.ends.length) {
      this.ends = grow(this.ends);
      this.rowNumbers = grow(this.rowNumbers);
    }
    this.key.copy(this.bytes, this.bytesUsed, 0, length);
    this.bytesUsed += length;
    this.ends[this.count] = this.bytesUsed;
    this.rowNumbers[this.count] = rowNumber;
    this.count++;
  }

  /** Doubles the table, placing every entry again from its bytes. */
  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let i = 0; i < this.count; i++) {
      const start = i === 0 ? 0 : this.ends[i - 1]!;
      let slot = hashOf(this.bytes, start, this.ends[i]!) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = i + 1;
    }
    freeNow(this.slots);
    this.slots = slots;
  }

  /**
   * Frees the index's memory now and leaves it empty. Its buffers live outside the V8 heap, and
   * would otherwise wait for the GC's next full collection: a run lets the index go just before its
   * first requests, and 200,000 rows' worth (~10 MB) still held then added to that moment's peak.
   */
  dispose(): void {
    for (const view of [this.bytes, this.ends, this.rowNumbers, this.slots]) freeNow(view);
    this.bytes = Buffer.alloc(0);
    this.ends = new Uint32Array(1);
    this.rowNumbers = new Uint32Array(1);
    this.slots = new Int32Array(2);
    this.bytesUsed = 0;
    this.count = 0;
  }
}


const surrogate = /[\uD800-\uDFFF]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** FNV-1a over bytes[start, end). */
function hashOf(bytes: Buffer, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return hash >>> 0;
}

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const grown = new Uint32Array(array.length * 2);
  grown.set(array);
  freeNow(array);
  return grown;
}
