import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CoincidenceAccumulator, coincidences, krippendorffAlpha, type AlphaMetric } from '../../src/stats/krippendorff.js';

/**
 * The worked example of Krippendorff, "Computing Krippendorff's Alpha-Reliability" (2011), section
 * E: observers A-D (rows) coding units 1-12 (columns) on values 1-5, with missing values (null).
 * Transposed below into units of four coders each.
 */
const OBSERVERS = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, null, null, null],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, null, 3],
  [null, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, null],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, null],
];
const UNITS = OBSERVERS[0]!.map((_, unit) => OBSERVERS.map((observer) => observer[unit]!));

interface RandomCase {
  name: string;
  units: (number | null)[][];
  alpha: Record<AlphaMetric, number | null>;
}
// Written by test/fixtures/krippendorff/make-fixtures.py, which computes alpha pair by pair, without a coincidence matrix.
const RANDOM: { cases: RandomCase[] } = JSON.parse(readFileSync(new URL('../fixtures/krippendorff/random.json', import.meta.url), 'utf8'));

describe("Krippendorff's alpha", () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)("reproduces the paper's worked example for %s data (%s)", (metric, published) => {
    expect(Number(krippendorffAlpha(UNITS, metric)!.toFixed(3))).toBe(published);
  });

  it("builds the paper's coincidence matrix: 40 pairable values, unit 12's lone value left out", () => {
    const table = coincidences(UNITS, 'nominal');
    expect(table.n).toBe(40);
    // The paper's n_c for values 1..5 (first seen in that order here).
    expect(table.values).toEqual([1, 2, 3, 4, 5]);
    expect(table.totals.map((x) => Number(x.toFixed(6)))).toEqual([9, 13, 10, 5, 3]);
    expect(table.o[0]![1]).toBeCloseTo(4 / 3, 12);
  });

  it.each(RANDOM.cases.map((c) => [c.name, c] as const))('agrees with the independent pair-by-pair computation on %s', (_name, testCase) => {
    for (const metric of ['nominal', 'ordinal', 'interval', 'ratio'] as const) {
      const expected = testCase.alpha[metric];
      const got = krippendorffAlpha(testCase.units, metric);
      if (expected === null) expect(got).toBeNull();
      else expect(got).toBeCloseTo(expected, 10);
    }
  });

  it('takes labels for nominal data, where only equality matters', () => {
    const labels = UNITS.map((unit) => unit.map((value) => (value === null ? null : `label-${value}`)));
    expect(krippendorffAlpha(labels, 'nominal')).toBeCloseTo(krippendorffAlpha(UNITS, 'nominal')!, 12);
  });

  it('is 1 for perfect agreement, and null when nothing can disagree or nothing is pairable', () => {
    expect(krippendorffAlpha([[1, 1], [2, 2, null], [3, 3]], 'interval')).toBe(1);
    expect(krippendorffAlpha([[2, 2], [2, 2]], 'nominal')).toBeNull();
    expect(krippendorffAlpha([[1, null], [null, 2]], 'nominal')).toBeNull();
  });

  it('refuses labels where the metric needs numbers, and negative values on a ratio scale', () => {
    expect(() => krippendorffAlpha([['a', 'b']], 'interval')).toThrow(/interval alpha needs numbers/);
    expect(() => krippendorffAlpha([[-1, 2]], 'ratio')).toThrow(/ratio alpha needs values of 0 or more/);
  });

  describe('added one unit at a time', () => {
    const METRICS = ['nominal', 'ordinal', 'interval', 'ratio'] as const;

    it.each(RANDOM.cases.map((c) => [c.name, c] as const))('equals the batch alpha and the pair-by-pair one on %s', (_name, testCase) => {
      for (const metric of METRICS) {
        const accumulator = new CoincidenceAccumulator(metric);
        testCase.units.forEach((unit, i) => {
          accumulator.add(unit);
          // Read part-way too: reading must not disturb what is added after.
          if (i === Math.floor(testCase.units.length / 2)) expect(accumulator.alpha()).toBe(krippendorffAlpha(testCase.units.slice(0, i + 1), metric));
        });
        expect(accumulator.alpha()).toBe(krippendorffAlpha(testCase.units, metric));
        const expected = testCase.alpha[metric];
        if (expected === null) expect(accumulator.alpha()).toBeNull();
        else expect(accumulator.alpha()).toBeCloseTo(expected, 10);
      }
    });

    it("gives the paper's matrix with values first seen out of order, sorted for numeric metrics", () => {
      const accumulator = new CoincidenceAccumulator('interval');
      for (const unit of [...UNITS].reverse()) accumulator.add(unit);
      const table = accumulator.table();
      expect(table.values).toEqual([1, 2, 3, 4, 5]);
      expect(table.totals.map((x) => Number(x.toFixed(6)))).toEqual([9, 13, 10, 5, 3]);
      expect(Number(accumulator.alpha()!.toFixed(3))).toBe(0.849);
    });

    it('leaves the matrix as it was when a unit is refused', () => {
      const accumulator = new CoincidenceAccumulator('interval');
      accumulator.add([1, 2]);
      const before = accumulator.table();
      expect(() => accumulator.add([3, 'x'])).toThrow(/interval alpha needs numbers/);
      expect(accumulator.table()).toEqual(before);
    });
  });
});
