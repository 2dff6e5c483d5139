import { describe, expect, it } from 'vitest';
import { retriesOf, type Sample } from '../../src/results/record.js';

const sample = (repeat: number, order: 'AB' | 'BA' | null): Sample => ({ repeat, order, score: null, pass: null, verdict: 'A', label: null, criteria: null, reasoning: null });

describe('retriesOf', () => {
  it('counts attempts beyond the first for a row judged once', () => {
    expect(retriesOf({ attempts: 1, samples: null })).toBe(0);
    expect(retriesOf({ attempts: 4, samples: null })).toBe(3);
  });

  it('does not count the second order of a pair, or a repeat, as a retry', () => {
    expect(retriesOf({ attempts: 2, samples: [sample(1, 'AB'), sample(1, 'BA')] })).toBe(0);
    const sixAsks = [1, 2, 3].flatMap((r) => [sample(r, 'AB'), sample(r, 'BA')]);
    expect(retriesOf({ attempts: 6, samples: sixAsks })).toBe(0);
    expect(retriesOf({ attempts: 8, samples: sixAsks })).toBe(2);
  });
});
