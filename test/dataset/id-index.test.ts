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
