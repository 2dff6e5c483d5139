/**
 * Deterministic hashing and random draws. Answers must not depend on request order, so they come
 * from a hash of their inputs; fault rates and jitter use a seeded stream per emulator.
 */
import { seededUint32 } from '../stats/random.js';

/** A well-mixed unsigned 32-bit hash of the parts (FNV-1a, then a murmur3 finaliser). */
export function hashParts(...parts: ReadonlyArray<string | number>): number {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    // A separator no prompt is likely to contain keeps ('ab','c') and ('a','bc') apart.
    const text = `${String(part)}\u0001`;
    for (let i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  // FNV alone leaves low bits poorly mixed, and callers take the hash modulo small numbers.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/** A seeded stream of floats in [0, 1) (mulberry32, the generator the bootstrap draws from too). */
export function seededRandom(seed: number): () => number {
  const next = seededUint32(seed);
  return () => next() / 4_294_967_296;
}
