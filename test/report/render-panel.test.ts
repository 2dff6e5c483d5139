import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/render-summary.js';
import { renderPanelAgreement } from '../../src/report/render-panel-agreement.js';
import { computeAgreement } from '../../src/stats/judge-agreement.js';
import { Summary, SummaryAccumulator, type RunFacts } from '../../src/stats/summary.js';
import type { ResultRecord } from '../../src/results/record.js';
import { PAIRWISE_PANEL, SCORE_PANEL } from '../stats/panel-fixtures.js';

const run: RunFacts = { status: 'complete', rows: 5, requests: 15, retries: 0, rateLimited: 0, wallMs: 1000, model: 'judge-1,judge-2,judge-3', prompt: 'correctness' };

function summarize(records: ResultRecord[], facts: Partial<RunFacts> = {}): Summary {
  const accumulator = new SummaryAccumulator();
  for (const record of records) accumulator.add(record);
  return accumulator.finish({ ...run, ...facts });
}

/** The lines from "panel" to the one before "tokens". */
function panelBlock(text: string): string[] {
  const lines = text.split('\n');
  return lines.slice(lines.findIndex((line) => line.startsWith('panel')), lines.findIndex((line) => line.startsWith('tokens')));
}

describe("the text summary of a panel's run", () => {
  it('says how many judges decided the rows, the alpha and its level, and each judge against the panel', () => {
    const text = renderSummary(summarize(SCORE_PANEL, { aggregate: 'median' }), { color: false, width: 100 });
    expect(panelBlock(text)).toEqual([
      'panel     3 judges, median of the votes, 2 rows decided by all, 2 by fewer, 1 by none',
      'alpha     0.868 (interval, scores) over 4 rows with 2+ votes',
      'judges    judge-1 4 of 5 graded, 1 failed (timeout 1), mean 3.00 +/- 2.91  (95% CI 0.09 to 5.91)',
      '                  pass 50.0%, same as panel 50.0%, mean |diff| 0.25',
      '          judge-2 4 of 5 graded, 1 failed (timeout 1), mean 3.50 +/- 2.05  (95% CI 1.45 to 5.55)',
      '                  pass 50.0%, same as panel 50.0%, mean |diff| 0.25',
      '          judge-3 2 of 5 graded, 3 failed (rate_limited 1, timeout 2), mean 5.00 +/- 0.00',
      '                  (95% CI 5.00 to 5.00), pass 100.0%, same as panel 50.0%, mean |diff| 0.50',
    ]);
  });

  it('gives verdict counts for a pairwise panel, with nominal alpha', () => {
    const text = renderSummary(summarize(PAIRWISE_PANEL, { rows: 4 }), { color: false, width: 100 });
    expect(panelBlock(text)).toEqual([
      'panel     3 judges, 3 rows decided by all, 1 by fewer',
      'alpha     0.118 (nominal, verdicts) over 4 rows with 2+ votes',
      'judges    judge-1 4 of 4 graded, A 2 B 1 tie 1, same as panel 75.0%',
      '          judge-2 4 of 4 graded, A 2 B 2 tie 0, same as panel 75.0%',
      '          judge-3 3 of 4 graded, 1 failed (server_error 1), A 0 B 3 tie 0, same as panel 66.7%',
    ]);
  });

  it("gives each judge's flip rate when it judged the pairs in both orders", () => {
    const summary = summarize(PAIRWISE_PANEL, { rows: 4 });
    const judges = summary.panel!.judges.map((judge, i) => (i === 0 ? { ...judge, pairwise: { ...judge.pairwise!, flip_rate: 0.25 } } : judge));
    const block = panelBlock(renderSummary({ ...summary, panel: { ...summary.panel!, judges } }, { color: false, width: 100 }));
    expect(block[2]).toBe('judges    judge-1 4 of 4 graded, A 2 B 1 tie 1, flips 25.0%, same as panel 75.0%');
    expect(block[3]).not.toContain('flips');
  });

  it('keeps every line within a narrow terminal', () => {
    const text = renderSummary(summarize(SCORE_PANEL, { aggregate: 'median' }), { color: false, width: 50 });
    for (const line of panelBlock(text)) expect(line.length).toBeLessThan(50);
    expect(panelBlock(text).join('\n')).toContain('2 by fewer');
  });
});

describe("a panel's agreement with human labels, in text", () => {
  const pairs = (judge: number[]) => ({ labelField: 'human', judgeField: 'score', kind: 'numeric' as const, human: [4, 3, 5, 1], judge, skipped: { errors: 1, no_label: 0, no_judge_value: 0 } });
  const bootstrap = { resamples: 0, seed: 1 };

  it('becomes a line per judge, wrapped between figures, where the table would not fit', () => {
    const panel = summarize(SCORE_PANEL).panel!;
    panel.judges[0]!.agreement = computeAgreement(pairs([4, 2, 5, 1]), bootstrap);
    panel.judges[1]!.agreement = computeAgreement(pairs([4, 3, 5, 2]), bootstrap);
    const text = renderPanelAgreement(panel, computeAgreement(pairs([4, 2.5, 5, 1.5]), bootstrap), { color: false, width: 40 });
    const lines = text.trimEnd().split('\n');
    for (const line of lines) expect(line.length).toBeLessThan(40);
    expect(lines).toContain('          judge-1: n 4, accuracy 75.0%');
    expect(lines.some((line) => line.startsWith('          panel: n 4'))).toBe(true);
    // judge-3 has no agreement (no labels compared): no line.
    expect(text).not.toContain('judge-3');
    expect(renderPanelAgreement(panel, computeAgreement(pairs([4, 2.5, 5, 1.5]), bootstrap), { color: false, width: 100 })).toContain('  n  accuracy  kappa');
  });
});
