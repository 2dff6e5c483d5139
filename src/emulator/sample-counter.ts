import { hashParts } from './random.js';

/**
 * Counts the answers given to each prompt, so that the n-th sample of a prompt at temperature > 0
 * is a fresh draw while the whole run stays reproducible: the k samples of a prompt are always the
 * same k answers, whichever request gets which. Keyed by a 32-bit hash, so memory grows with the
 * distinct prompts sampled (a few bytes each), not with their text.
 */
export class SampleCounter {
  private readonly seen = new Map<number, number>();

  /** 0 for a prompt's first answer, 1 for its second, … */
  next(prompt: string): number {
    const key = hashParts('sample', prompt);
    const n = this.seen.get(key) ?? 0;
    this.seen.set(key, n + 1);
    return n;
  }

  /** Forgets every count (the control endpoint's stats reset). */
  clear(): void {
    this.seen.clear();
  }
}
