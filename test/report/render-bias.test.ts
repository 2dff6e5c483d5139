import { describe, expect, it } from 'vitest';
import { headlineFigures } from '../../src/report/html/figures.js';
import { renderSummary } from '../../src/report/render-summary.js';
import type { Summary } from '../../src/stats/summary.js';

const summary: Summary = {
  status: 'complete',
  model: 'gpt-4o-mini',
  prompt: 'pairwise',
  rows: 10,
  graded: 10,
  errors: {},
  mean: null,
  ci95: null,
  pass_rate: null,
  histogram: {},
  pairwise: { a: 4, b: 3, tie: 3, swapped: 10, flip_rate: 0.3, longer_wins: 0.6, longer_wins_n: 15, first_shown_wins: 4 / 7, first_shown_wins_n: 14 },
  usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 },
  cost_usd: 0,
  requests: 20,
  retries: 0,
  rate_limited: 0,
  wall_s: 1,
};

describe('bias figures in the reports', () => {
  it('stand beside the flip rate on the terminal summary, each with how many judgements it covers', () => {
    const text = renderSummary(summary, { color: false, width: 100 });
    const pairwise = text.split('\n').filter((line) => /longer wins|first shown/.test(line)).join(' ');
    expect(pairwise).toContain('longer wins 60.0% of 15');
    expect(pairwise).toContain('first shown wins 57.1% of 14');
    expect(text).toContain('flip rate 30.0%');
  });

  it('drop the counts on a narrow terminal', () => {
    const text = renderSummary(summary, { color: false, width: 50 });
    expect(text).toContain('longer wins 60.0%');
    expect(text).not.toContain('60.0% of 15');
  });

  it('are headline figures of the HTML report', () => {
    const figures = headlineFigures(summary, 'file');
    expect(figures.find((figure) => figure.key === 'longer_wins')).toMatchObject({ value: '60.0%', detail: 'of 15 decided judgements, by characters' });
    expect(figures.find((figure) => figure.key === 'first_shown_wins')).toMatchObject({ value: '57.1%', detail: 'of 14 decided judgements' });
  });

  it('are left out where a summary has none (an older file)', () => {
    const { longer_wins: _l, longer_wins_n: _ln, first_shown_wins: _f, first_shown_wins_n: _fn, ...older } = summary.pairwise!;
    const text = renderSummary({ ...summary, pairwise: older }, { color: false, width: 100 });
    expect(text).not.toMatch(/longer wins|first shown/);
  });
});
