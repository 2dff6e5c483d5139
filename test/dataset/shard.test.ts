import { describe, expect, it } from 'vitest';
import { inShard, ShardSpec } from '../../src/dataset/shard.js';

const ids = Array.from({ length: 2_000 }, (_, i) => `row-${i}`);

describe('inShard', () => {
  it('puts every id in exactly one of n shards', () => {
    for (const count of [2, 3, 7]) {
      for (const id of ids) {
        const owners = Array.from({ length: count }, (_, i) => i + 1).filter((index) => inShard(id, { index, count }));
        expect(owners).toHaveLength(1);
      }
    }
  });

  it('splits rows roughly evenly', () => {
    const sizes = [1, 2, 3, 4].map((index) => ids.filter((id) => inShard(id, { index, count: 4 })).length);
    for (const size of sizes) expect(Math.abs(size - 500)).toBeLessThan(75);
  });

  it('depends on the id alone, so it is the same on every runner and run', () => {
    expect(ids.filter((id) => inShard(id, { index: 2, count: 3 }))).toEqual(
      [...ids].reverse().filter((id) => inShard(id, { index: 2, count: 3 })).reverse(),
    );
    // Pinned: a change of hash would silently reshuffle everybody's shards.
    expect(['a', 'b', 'c', 'd', 'e'].map((id) => [1, 2, 3].find((index) => inShard(id, { index, count: 3 })))).toEqual([3, 1, 3, 2, 3]);
  });
});

describe('ShardSpec', () => {
  it.each([
    ['1/1', { index: 1, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
  ])('reads %s', (text, expected) => {
    expect(ShardSpec.parse(text)).toEqual(expected);
  });

  it.each(['0/4', '5/4', '2', 'a/b', '1/0'])('rejects %s, naming the flag', (text) => {
    const result = ShardSpec.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/--shard/);
  });
});
