import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/krippendorff.js';
import { Summary, SummaryAccumulator, type RunFacts } from '../../src/stats/summary.js';
import type { ResultRecord } from '../../src/results/record.js';
import { makeRecord } from '../results/helpers.js';
import { PAIRWISE_PANEL, PAIRWISE_UNITS, panelRecord, PASS_PANEL, PASS_UNITS, SCORE_PANEL, SCORE_UNITS, vote } from './panel-fixtures.js';

const run: RunFacts = { status: 'complete', rows: 5, requests: 15, retries: 0, rateLimited: 0, wallMs: 1000, model: 'judge-1,judge-2,judge-3', prompt: 'correctness' };

function summarize(records: ResultRecord[], facts: Partial<RunFacts> = {}): Summary {
  const accumulator = new SummaryAccumulator();
  for (const record of records) accumulator.add(record);
  // Parsed: the section must fit the schema --summary is checked against.
  return Summary.parse(accumulator.finish({ ...run, ...facts }));
}

describe("a panel's summary, scores", () => {
  const summary = summarize(SCORE_PANEL, { aggregate: 'median' });
  const panel = summary.panel!;

  it('says how many rows each number of judges decided, and the aggregate when the run knows it', () => {
    expect(panel).toMatchObject({ aggregate: 'median', field: 'score', rows: 5, all_judges: 2, fewer_judges: 2, no_judge: 1 });
    // The panel's own figures are the record's: r5 failed for every judge.
    expect(summary.graded).toBe(4);
    expect(summary.errors).toEqual({ timeout: 1 });
    expect(summary.mean).toBeCloseTo((4 + 2.5 + 5 + 1.5) / 4, 12);
  });

  it("gives each judge's rows, failed votes by code and mode figures, in the order the judges first appear", () => {
    expect(panel.judges.map((j) => j.judge)).toEqual(['judge-1', 'judge-2', 'judge-3']);
    const [one, two, three] = panel.judges;
    expect(one).toMatchObject({ rows: 5, graded: 4, errors: { timeout: 1 }, pass_rate: 2 / 4 });
    expect(one!.mean).toBeCloseTo(3, 12);
    expect(two!.mean).toBeCloseTo(3.5, 12);
    expect(three).toMatchObject({ rows: 5, graded: 2, errors: { rate_limited: 1, timeout: 2 }, mean: 5, pass_rate: 1 });
    // The same t interval a one-judge run gives its scores: 4 2 5 1, mean 3, sd sqrt(10/3), t(0.975, 3) = 3.1824463.
    const halfWidth = 3.1824463 * Math.sqrt(10 / 3 / 4);
    expect(one!.ci95![0]).toBeCloseTo(3 - halfWidth, 5);
    expect(one!.ci95![1]).toBeCloseTo(3 + halfWidth, 5);
    expect(one!.pass_rate_ci95).not.toBeNull();
  });

  it("gives each judge's agreement with the panel's score: exact share and mean absolute difference", () => {
    const [one, two, three] = panel.judges;
    // judge-1: 4=4, 2 vs 2.5, 5=5, 1 vs 1.5.
    expect(one!.with_panel).toEqual({ n: 4, exact: 0.5, mean_abs_diff: 0.25 });
    expect(two!.with_panel).toEqual({ n: 4, exact: 0.5, mean_abs_diff: 0.25 });
    // judge-3: 5 vs 4, 5=5.
    expect(three!.with_panel).toEqual({ n: 2, exact: 0.5, mean_abs_diff: 0.5 });
  });

  it("gives interval alpha over the judges' scores, failed votes missing, equal to the batch computation", () => {
    expect(panel.alpha.level).toBe('interval');
    expect(panel.alpha.value).toBe(krippendorffAlpha(SCORE_UNITS, 'interval'));
    expect(panel.alpha.value).not.toBeNull();
    expect(panel.alpha).toMatchObject({ units: 4, values: 10 });
  });
});

describe("a panel's summary, pairwise and pass-fail", () => {
  it('gives verdict counts per judge, agreement with the panel and nominal alpha over verdicts', () => {
    const panel = summarize(PAIRWISE_PANEL).panel!;
    expect(panel).toMatchObject({ field: 'verdict', rows: 4, all_judges: 3, fewer_judges: 1, no_judge: 0 });
    expect(panel.aggregate).toBeUndefined();
    const [one, two, three] = panel.judges;
    expect(one!.pairwise).toEqual({ a: 2, b: 1, tie: 1 });
    expect(three).toMatchObject({ graded: 3, errors: { server_error: 1 }, pairwise: { a: 0, b: 3, tie: 0 } });
    // Panel: A B tie B. judge-1 A B tie A; judge-2 A B A B; judge-3 B B - B.
    expect(one!.with_panel).toEqual({ n: 4, exact: 0.75 });
    expect(two!.with_panel).toEqual({ n: 4, exact: 0.75 });
    expect(three!.with_panel.exact).toBeCloseTo(2 / 3, 12);
    expect(panel.alpha.level).toBe('nominal');
    expect(panel.alpha.value).toBe(krippendorffAlpha(PAIRWISE_UNITS, 'nominal'));
    expect(panel.alpha).toMatchObject({ units: 4, values: 11 });
  });

  it('compares pass, with nominal alpha, when the judges score a pass 1 and a fail 0', () => {
    const panel = summarize(PASS_PANEL).panel!;
    expect(panel).toMatchObject({ field: 'pass', all_judges: 2, fewer_judges: 1 });
    expect(panel.alpha.level).toBe('nominal');
    expect(panel.alpha.value).toBe(krippendorffAlpha(PASS_UNITS, 'nominal'));
    expect(panel.judges[1]).toMatchObject({ rows: 3, graded: 2, errors: { timeout: 1 }, pass_rate: 0.5, with_panel: { n: 2, exact: 0.5 } });
  });

  it('compares labels of a classify panel', () => {
    const records = [
      panelRecord('l1', [vote('j1', { label: 'x' }), vote('j2', { label: 'x' })], { label: 'x' }),
      panelRecord('l2', [vote('j1', { label: 'y' }), vote('j2', { label: 'x' })], { label: 'y' }),
    ];
    const panel = summarize(records).panel!;
    expect(panel.field).toBe('label');
    expect(panel.judges[1]).toMatchObject({ labels: { x: 2 }, with_panel: { n: 2, exact: 0.5 } });
    expect(panel.alpha.value).toBe(krippendorffAlpha([['x', 'x'], ['y', 'x']], 'nominal'));
  });
});

describe('a run with one judge', () => {
  it('has no panel section, and its summary is what it was', () => {
    const records = [makeRecord({ id: 'a', score: 3 }), makeRecord({ id: 'b', score: 5 })];
    const summary = summarize(records);
    expect(Object.keys(summary)).not.toContain('panel');
  });
});
