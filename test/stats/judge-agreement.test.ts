import { describe, expect, it } from 'vitest';
import { computeAgreement, type LabelledPairs } from '../../src/stats/judge-agreement.js';
import { DIGITS, reference } from './reference.js';

const none = { errors: 0, no_label: 0, no_judge_value: 0 };

function expectFigure(actual: number | null | undefined, expected: number | null | undefined) {
  if (expected === null || expected === undefined) expect(actual ?? null).toBeNull();
  else expect(actual).toBeCloseTo(expected, DIGITS);
}

function expectInterval(actual: [number, number] | null | undefined, expected: [number, number] | null | undefined) {
  if (expected === null || expected === undefined) return expect(actual ?? null).toBeNull();
  expect(actual).not.toBeNull();
  expect(actual![0]).toBeCloseTo(expected[0], DIGITS);
  expect(actual![1]).toBeCloseTo(expected[1], DIGITS);
}

describe('computeAgreement against scikit-learn and SciPy, bootstrap intervals included', () => {
  it.each(reference.agreement_rows.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const pairs: LabelledPairs = {
      labelField: 'label',
      judgeField: c.scale === 'pairwise' ? 'verdict' : 'score',
      kind: c.scale === 'pairwise' ? 'pairwise' : 'numeric',
      human: c.human,
      judge: c.judge,
      skipped: none,
    };
    const agreement = computeAgreement(pairs, { resamples: c.resamples, seed: c.seed });
    expect(agreement.scale).toBe(c.scale);
    expect(agreement.kappa_weights).toBe(c.scale === 'ordinal' ? 'quadratic' : 'none');
    for (const key of ['accuracy', 'kappa', 'spearman', 'kendall', 'pearson'] as const) {
      expectFigure(agreement[key], c.point[key]);
      expectInterval(agreement[`${key}_ci95`], c.ci95[key]);
    }
    expectFigure(agreement.macro_f1, c.point.macro_f1);
    expectInterval(agreement.macro_f1_ci95, c.ci95.macro_f1);
    if (c.scale === 'pairwise') {
      expect(agreement.without_ties?.n).toBe(c.point.nt_n);
      expectFigure(agreement.without_ties?.accuracy, c.point.nt_accuracy);
      expectFigure(agreement.without_ties?.kappa, c.point.nt_kappa);
      expectInterval(agreement.without_ties?.accuracy_ci95, c.ci95.nt_accuracy);
      expectInterval(agreement.without_ties?.kappa_ci95, c.ci95.nt_kappa);
    } else {
      expect(agreement.without_ties).toBeUndefined();
      expect(agreement.macro_f1).toBeUndefined();
    }
  });

  it('averages correlations over groups, skipping groups with a constant side, and resamples groups (G-Eval summary-level)', () => {
    const { groups, seed, resamples, used, point, ci95 } = reference.grouped;
    const agreement = computeAgreement(
      {
        labelField: 'coherence',
        judgeField: 'criteria.coherence',
        kind: 'numeric',
        human: groups.flatMap((g) => g.human),
        judge: groups.flatMap((g) => g.judge),
        groupBy: { field: 'article_id', keys: groups.flatMap((g) => g.human.map(() => g.key)) },
        skipped: { ...none, no_group: 0 },
      },
      { resamples, seed },
    );
    expect(agreement.groups).toEqual({ field: 'article_id', total: groups.length, used });
    expect(agreement.bootstrap).toEqual({ resamples, seed, unit: 'group' });
    for (const key of ['spearman', 'kendall', 'pearson'] as const) {
      expectFigure(agreement[key], point[key]);
      expectInterval(agreement[`${key}_ci95`], ci95[key]);
    }
  });
});

describe('computeAgreement: what applies to which values', () => {
  const pairs = (kind: LabelledPairs['kind'], human: LabelledPairs['human'], judge: LabelledPairs['judge']): LabelledPairs => ({
    labelField: 'label',
    judgeField: 'score',
    kind,
    human,
    judge,
    skipped: none,
  });
  const noBootstrap = { resamples: 0, seed: 1 };

  it('gives human means in thirds correlations only, and says why there is no kappa', () => {
    const agreement = computeAgreement(pairs('numeric', [1.3333333333, 2, 4.6666666667, 3], [1, 2, 5, 3]), noBootstrap);
    expect(agreement.scale).toBe('continuous');
    expect([agreement.accuracy, agreement.kappa, agreement.kappa_weights, agreement.confusion]).toEqual([null, null, null, null]);
    expect(agreement.spearman).toBeCloseTo(1, 12);
    expect(agreement.notes.join(' ')).toMatch(/whole-number values on both sides, and the human labels are not \(1\.3333333333\)/);
  });

  it('lays an ordinal confusion matrix over every point between the lowest and highest value', () => {
    const agreement = computeAgreement(pairs('numeric', [1, 5, 5], [2, 5, 4]), noBootstrap);
    expect(agreement.confusion?.labels).toEqual(['1', '2', '3', '4', '5']);
    expect(agreement.confusion?.matrix[0]).toEqual([0, 1, 0, 0, 0]);
  });

  it('gives unordered labels no correlations, with the reason', () => {
    const agreement = computeAgreement(pairs('category', ['bug', 'praise', 'bug'], ['bug', 'bug', 'bug']), noBootstrap);
    expect(agreement.scale).toBe('nominal');
    expect(agreement.confusion?.labels).toEqual(['bug', 'praise']);
    expect([agreement.spearman, agreement.kendall, agreement.pearson]).toEqual([null, null, null]);
    expect(agreement.notes.join(' ')).toMatch(/classify labels are categories/);
  });

  it('reads pass and fail as categories for kappa and as 1 and 0 for the correlations', () => {
    const agreement = computeAgreement(pairs('pass', [true, false, true, false], [true, false, false, false]), noBootstrap);
    expect(agreement.scale).toBe('binary');
    expect(agreement.confusion).toEqual({ labels: ['fail', 'pass'], matrix: [[2, 0], [1, 1]] });
    expect(agreement.accuracy).toBe(0.75);
    expect(agreement.pearson).toBeCloseTo(1 / Math.sqrt(3), 12);
  });

  it('says so when a side is constant, instead of giving NaN', () => {
    const agreement = computeAgreement(pairs('numeric', [3, 3, 3], [1, 2, 3]), noBootstrap);
    expect(agreement.spearman).toBeNull();
    expect(agreement.notes.join(' ')).toMatch(/the human labels are all the same/);
    expect(JSON.stringify(agreement)).not.toContain('NaN');
  });

  it('handles no rows at all', () => {
    const agreement = computeAgreement(pairs('numeric', [], []), { resamples: 100, seed: 1 });
    expect(agreement.n).toBe(0);
    expect([agreement.accuracy, agreement.kappa, agreement.spearman, agreement.accuracy_ci95]).toEqual([null, null, null, null]);
    expect(agreement.notes).toContain('no rows to compare');
  });
});
