import { describe, expect, it } from 'vitest';
import { renderAgreement } from '../../src/report/render-agreement.js';
import { renderComparison } from '../../src/report/render-compare.js';
import type { Agreement } from '../../src/stats/agreement-schema.js';
import type { Comparison } from '../../src/stats/comparison-schema.js';

const agreement: Agreement = {
  label_field: 'coherence',
  judge_field: 'criteria.coherence',
  scale: 'continuous',
  n: 1583,
  skipped: { errors: 17, no_label: 0, no_judge_value: 0, no_group: 2 },
  accuracy: null,
  accuracy_ci95: null,
  kappa: null,
  kappa_ci95: null,
  kappa_weights: null,
  spearman: 0.6489,
  spearman_ci95: [0.612, 0.686],
  kendall: 0.5474,
  kendall_ci95: [0.514, 0.582],
  pearson: 0.6774,
  pearson_ci95: [0.646, 0.709],
  confusion: null,
  groups: { field: 'article_id', total: 100, used: 98 },
  bootstrap: { resamples: 2000, seed: 1, unit: 'group' },
  notes: ['accuracy and kappa need whole-number values on both sides, and the human labels are not (1.3333333333): correlations only'],
};

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

describe('renderAgreement', () => {
  it('shows the figures that apply, the groups used, the rows skipped, and why the others are missing', () => {
    const text = renderAgreement(agreement, { color: false, width: 200 });
    expect(text).toMatch(/^spearman  0\.649  \(95% CI 0\.612 to 0\.686\)$/m);
    expect(text).toMatch(/averaged over the 98 of 100 groups where neither side is constant/);
    expect(text).toMatch(/1,583 compared, 17 errors skipped, 2 without a group skipped/);
    expect(text).not.toMatch(/^accuracy|^kappa/m);
    expect(text).toMatch(/correlations only/);
    expect(text).not.toMatch(ANSI);
  });

  it('wraps a long note between words on a narrow terminal instead of cutting it', () => {
    const lines = renderAgreement(agreement, { color: false, width: 50 }).trimEnd().split('\n');
    expect(lines.every((line) => line.length < 50)).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toContain('the human labels are not (1.3333333333): correlations only');
  });

  it('leaves a confusion matrix of more than 12 categories to --json', () => {
    const labels = Array.from({ length: 20 }, (_, i) => String(i));
    const wide: Agreement = { ...agreement, scale: 'ordinal', confusion: { labels, matrix: labels.map(() => labels.map(() => 1)) } };
    expect(renderAgreement(wide, { color: false, width: 100 })).toMatch(/confusion 20 × 20: see --json/);
  });
});

describe('renderComparison', () => {
  const comparison: Comparison = {
    a: { file: 'a.jsonl', models: ['gpt-4o-mini'], prompts: ['correctness'], records: 10, replaced: 0 },
    b: { file: 'b.jsonl', models: ['gpt-4o'], prompts: ['correctness'], records: 10, replaced: 0 },
    value: 'verdict',
    metric: 'win_rate',
    n: 10,
    mean_a: 0.5,
    mean_b: 0.45,
    mean_diff: -0.05,
    mean_diff_ci95: [-0.2, 0.1],
    wins: 0,
    ties: 10,
    losses: 0,
    sign_test_p: null,
    only_in_a: 0,
    only_in_b: 0,
    errored: { a: 0, b: 0 },
    no_value: 0,
    bootstrap: { resamples: 2000, seed: 1 },
    worse: [],
  };

  it('names the pairwise value mapping, signs the difference, and says when there is nothing to test', () => {
    const text = renderComparison(comparison, { color: false, width: 120 });
    expect(text).toMatch(/verdict \(A = 1, tie = 0\.5, B = 0\): a 0\.500, b 0\.450, b - a -0\.050  \(95% CI -0\.200 to \+0\.100\)/);
    expect(text).toMatch(/^sign test no id differs: nothing to test$/m);
    expect(text).not.toMatch(/only in|errors left out/);
  });
});
