import { hashParts, seededRandom } from './random.js';

/**
 * The delay before each answer: `latencyMs` ± uniform jitter, never negative. The jitter stream is
 * seeded apart from the fault stream, so switching jitter on does not change which requests fault.
 */
export function createAnswerDelay(latencyMs: number, jitterMs: number, seed: number): () => number {
  if (jitterMs <= 0) return () => latencyMs;
  const random = seededRandom(hashParts('jitter', seed));
  return () => Math.max(0, latencyMs + (random() * 2 - 1) * jitterMs);
}
