import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { lengthControlledWinRates, type LengthBattle } from '../../src/stats/length-control.js';
import { indexFrom, seededUint32 } from '../../src/stats/random.js';

interface Case {
  name: string;
  systems: number;
  baseline: number;
  battles: [number, number, number, number][];
  length_controlled: number[];
  length_coefficient: number;
}
// Written by test/fixtures/rank/make-fixtures.py with scikit-learn's LogisticRegression on the same design.
const REFERENCE: { length_control: Case[] } = JSON.parse(readFileSync(new URL('../fixtures/rank/reference.json', import.meta.url), 'utf8'));

/**
 * Four systems of equal quality that differ only in how much they write (the baseline least, the
 * last most), and a judge that picks the longer answer, by the model's own curve with a steep
 * slope: P(first wins) = sigmoid(6 tanh(difference / 350)), 99% once the lengths differ by about as
 * much as they typically do. (Exactly deterministic data would have no maximum-likelihood fit,
 * see src/stats/length-control.ts.)
 */
function longerWins(seed: number): LengthBattle[] {
  const next = seededUint32(seed);
  const verbosity = [300, 500, 700, 900];
  const uniform = () => next() / 2 ** 32;
  return Array.from({ length: 1000 }, () => {
    const a = indexFrom(next(), 4);
    const b = (a + 1 + indexFrom(next(), 3)) % 4;
    const length = (system: number) => Math.round(verbosity[system]! * (0.5 + uniform()));
    const lengthDifference = length(a) - length(b);
    const longerFirst = 1 / (1 + Math.exp(-6 * Math.tanh(lengthDifference / 350)));
    return { a, b, score: uniform() < longerFirst ? 1 : 0, lengthDifference };
  });
}

describe('length-controlled win rates', () => {
  it.each(REFERENCE.length_control.map((c) => [c.name, c] as const))('equal a scikit-learn fit of the same design (%s)', (_name, c) => {
    const battles = c.battles.map(([a, b, score, lengthDifference]) => ({ a, b, score, lengthDifference }));
    const fit = lengthControlledWinRates(battles, c.systems, c.baseline)!;
    fit.winRates.forEach((rate, i) => expect(Math.abs(rate - c.length_controlled[i]!)).toBeLessThan(1e-8));
    expect(fit.lengthCoefficient).toBeCloseTo(c.length_coefficient, 7);
  });

  it.each([1, 2, 3])('bring a system that wins only by writing more back to about 50%, where its raw win rate is near 100% (seed %i)', (seed) => {
    const battles = longerWins(seed);
    const againstBaseline = battles.filter((battle) => (battle.a === 3 && battle.b === 0) || (battle.a === 0 && battle.b === 3));
    const raw = againstBaseline.reduce((sum, battle) => sum + (battle.a === 3 ? battle.score : 1 - battle.score), 0) / againstBaseline.length;
    expect(raw).toBeGreaterThan(0.95);
    expect(raw).toBeLessThanOrEqual(1);
    const fit = lengthControlledWinRates(battles, 4, 0)!;
    expect(fit.winRates[3]).toBeGreaterThan(0.4);
    expect(fit.winRates[3]).toBeLessThan(0.6);
    expect(fit.lengthCoefficient).toBeGreaterThan(3);
  });

  it('are null without battles', () => {
    expect(lengthControlledWinRates([], 2, 0)).toBeNull();
  });
});
