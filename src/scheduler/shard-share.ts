import type { Shard } from '../dataset/shard.js';

/**
 * The share of the key's learned limits a shard paces to. Shards of a CI matrix start together and
 * spend one key, so their shares must add up to 1; each takes its rows over all shards' rows (every
 * shard reads the whole dataset, so they agree without talking), which is 1/n for even shards and
 * lets an uneven split, as an id hash gives, finish together. Under --limit each shard grades up to
 * that many rows of its own, so the shares are even: 1/n.
 */
export function shardShare(shard: Shard | undefined, counts: { rows: number; allRows: number; limited: boolean }): number {
  if (!shard || shard.count <= 1) return 1;
  if (counts.limited || counts.rows <= 0 || counts.allRows < counts.rows) return 1 / shard.count;
  return counts.rows / counts.allRows;
}
