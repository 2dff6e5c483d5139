import { describe, expect, it } from 'vitest';
import { accuracyOf, cohenKappaOf, confusionMatrix, macroF1Of, withoutCategories } from '../../src/stats/agreement.js';
import { DIGITS, reference } from './reference.js';

describe('agreement over categories against scikit-learn (confusion_matrix, accuracy_score, cohen_kappa_score, f1_score)', () => {
  it.each(reference.categorical.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const code = (value: string) => c.labels.indexOf(value);
    const matrix = confusionMatrix(c.human.map(code), c.judge.map(code), c.labels.length);
    expect(matrix).toEqual(c.confusion);
    expect(accuracyOf(matrix)).toBeCloseTo(c.accuracy, DIGITS);
    if (c.kappa === null) expect(cohenKappaOf(matrix, c.weights)).toBeNull();
    else expect(cohenKappaOf(matrix, c.weights)).toBeCloseTo(c.kappa, DIGITS);
    expect(macroF1Of(matrix)).toBeCloseTo(c.macro_f1, DIGITS);
  });

  it('weights a disagreement two points apart four times one point apart (quadratic)', () => {
    // Same observed agreement, but the second judge's misses are farther off: lower weighted kappa.
    const near = confusionMatrix([0, 1, 2, 0, 1, 2], [1, 1, 2, 0, 2, 2], 3);
    const far = confusionMatrix([0, 1, 2, 0, 1, 2], [2, 1, 2, 0, 0, 2], 3);
    expect(accuracyOf(near)).toBe(accuracyOf(far));
    expect(cohenKappaOf(far, 'quadratic')!).toBeLessThan(cohenKappaOf(near, 'quadratic')!);
  });

  it('has no accuracy, kappa or F1 for no items', () => {
    const matrix = confusionMatrix([], [], 3);
    expect([accuracyOf(matrix), cohenKappaOf(matrix), macroF1Of(matrix)]).toEqual([null, null, null]);
  });

  it('drops a category from both sides: agreement without ties', () => {
    const matrix = [
      [5, 1, 2],
      [0, 4, 1],
      [3, 0, 6],
    ];
    expect(withoutCategories(matrix, [2])).toEqual([
      [5, 1],
      [0, 4],
    ]);
  });
});
