import { createHash } from 'node:crypto';
import * as z from 'zod';

/** One of `count` disjoint shares of a dataset (`--shard index/count`, 1-based as users write it). */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard k/n`: k from 1 to n. */
export const ShardSpec = z
  .string()
  .regex(/^\d+\/\d+$/, '--shard takes k/n, for example 2/4')
  .transform((text) => {
    const [index, count] = text.split('/').map(Number) as [number, number];
    return { index, count };
  })
  .refine((shard) => shard.count >= 1 && shard.index >= 1 && shard.index <= shard.count, {
    message: '--shard k/n needs 1 <= k <= n',
  });

/**
 * Whether a row belongs to a shard. The share is decided by a hash of the row's id alone, so every
 * runner agrees without coordination, whatever the row order, and a row never moves between
 * shards when others are added or removed.
 */
export function inShard(id: string, shard: Shard): boolean {
  if (shard.count === 1) return true;
  const digest = createHash('sha256').update(id).digest();
  return digest.readUInt32BE(0) % shard.count === shard.index - 1;
}
