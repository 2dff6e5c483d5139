/**
 * The seeded random stream behind the bootstrap. Written out here (mulberry32, the same generator
 * the emulator uses) rather than imported from the emulator, so statistics do not depend on the
 * test server; test/fixtures/reference/stats.py re-implements it to check intervals exactly.
 */

const TWO_TO_32 = 4_294_967_296;

/** A seeded stream of unsigned 32-bit integers (mulberry32). */
export function seededUint32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/**
 * A uniform index in [0, n) from one draw: floor(u * n / 2^32). Exact in doubles for n < 2^21, and
 * the same as `(u * n) >> 32` in integer arithmetic, which is how the Python reference draws it.
 */
export function indexFrom(draw: number, n: number): number {
  return Math.floor((draw / TWO_TO_32) * n);
}
