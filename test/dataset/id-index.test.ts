import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../src/dataset/id-index.js';

describe('IdIndex', () => {
  it('adds new ids and names the row that first had a repeated one', () => {
    const index = new IdIndex();
    expect(index.add('a', 1)).toBeUndefined();
    expect(index.add('b', 2)).toBeUndefined();
    expect(index.add('a', 3)).toBe(1);
    expect(index.add('b', 9)).toBe(2);
    expect(index.size).toBe(2);
  });

  it('keeps ids exactly, whatever their characters, in the order they came', () => {
    const ids = ['', 'row-1', 'ROW-1', 'é', 'e\u0301', '日本語', '🙂', '\uFFFD', '\uD800', '\uDC00', '\uD800x', 'x\uDBFF', '\uD83D', 'ÿ', '1', '01'];
    const index = new IdIndex();
    ids.forEach((id, i) => expect(index.add(id, i + 1)).toBeUndefined());
    // A lone surrogate is its own id: not U+FFFD, not another lone surrogate, not the pair it is half of.
    ids.forEach((id, i) => expect(index.add(id, 100)).toBe(i + 1));
    expect([...index.ids()]).toEqual(ids);
  });

  it('grows past its first buffers without losing or confusing ids', () => {
    const index = new IdIndex();
    const long = 'x'.repeat(70_000);
    const ids = Array.from({ length: 50_000 }, (_, i) => `id-${i}`);
    ids.push(long, `${long}y`);
    ids.forEach((id, i) => expect(index.add(id, i + 1)).toBeUndefined());
    expect(index.size).toBe(ids.length);
    expect(index.add('id-0', 0)).toBe(1);
    expect(index.add('id-49999', 0)).toBe(50_000);
    expect(index.add(long, 0)).toBe(50_001);
    expect(index.add(`${long}z`, 0)).toBeUndefined();
    const listed = [...index.ids()];
    expect(listed.slice(0, ids.length)).toEqual(ids);
    expect(listed.at(-1)).toBe(`${long}z`);
  });
});

describe('IdIndex with ids longer than its first buffer, and many ids', () => {
  it('keeps ids that fill its buffer exactly, overflow it, or are longer than it', () => {
    const chunk = 64 * 1024;
    const ids = [
      'a'.repeat(chunk - 3), // leaves 3 bytes of the first 64 KiB buffer: the next id does not fit
      'é'.repeat(2), // 4 bytes in UTF-8
      'b'.repeat(chunk), // exactly the first buffer's size
      'c'.repeat(chunk + 1), // longer than it
      'd',
      '\uD800'.repeat(40_000), // a lone-surrogate id, stored as UTF-16: 80,001 bytes
      'e',
    ];
    const index = new IdIndex();
    ids.forEach((id, i) => expect(index.add(id, i + 1)).toBeUndefined());
    ids.forEach((id, i) => expect(index.add(id, 99)).toBe(i + 1));
    // Same lengths, other bytes: never confused.
    expect(index.add(`${'a'.repeat(chunk - 4)}b`, 99)).toBeUndefined();
    expect(index.add('c'.repeat(chunk) + 'd', 99)).toBeUndefined();
    expect([...index.ids()].slice(0, ids.length)).toEqual(ids);
  });

  it('holds a few hundred thousand ids across many doublings of its buffers and table', () => {
    const index = new IdIndex();
    const n = 300_000;
    for (let i = 0; i < n; i++) expect(index.add(`row-${i}-${'x'.repeat(i % 37)}`, i + 1)).toBeUndefined();
    expect(index.size).toBe(n);
    for (let i = 0; i < n; i += 997) expect(index.add(`row-${i}-${'x'.repeat(i % 37)}`, 0)).toBe(i + 1);
    let i = 0;
    for (const id of index.ids()) expect(id).toBe(`row-${i}-${'x'.repeat(i++ % 37)}`);
    expect(i).toBe(n);
  });
});

describe('IdIndex.dispose', () => {
  it('frees the memory outside the heap at once, without waiting for the GC', () => {
    const index = new IdIndex();
    for (let i = 0; i < 300_000; i++) index.add(`row-${i}-${'x'.repeat(20)}`, i + 1);
    const before = process.memoryUsage().arrayBuffers;
    index.dispose();
    const freed = before - process.memoryUsage().arrayBuffers;
    // ~9 MB of ids, ends, row numbers and table; no GC has run in between.
    expect(freed).toBeGreaterThan(8 * 1024 * 1024);
    expect(index.size).toBe(0);
    expect([...index.ids()]).toEqual([]);
  });

  it('leaves a usable, empty index behind', () => {
    const index = new IdIndex();
    index.add('a', 1);
    index.dispose();
    expect(index.add('a', 7)).toBeUndefined();
    expect(index.add('a', 8)).toBe(7);
  });
});
