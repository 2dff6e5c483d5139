import { integer, percent } from '../format.js';
import { FIELD_WORDS } from '../render-panel.js';
import type { PanelJudge, PanelSummary } from '../../stats/panel-schema.js';
import { meanFigure } from './figures.js';
import type { Figure, FigureGroup, JudgeFigures } from './report-data.js';

/**
 * A panel's figures as the terminal summary's panel block gives them (render-panel.ts): how many
 * judges decided the rows, the judges' agreement with one another, and each judge's own figures.
 */
export function panelGroup(panel: PanelSummary): FigureGroup {
  const figures: Figure[] = [
    {
      key: 'panel_judges',
      label: 'judges',
      value: integer(panel.judges.length),
      ...(panel.aggregate !== undefined ? { detail: panel.aggregate === 'majority' ? 'majority vote' : `${panel.aggregate} of the votes` } : {}),
    },
    { key: 'all_judges', label: 'rows decided by all', value: integer(panel.all_judges), detail: `of ${integer(panel.rows)} rows with votes` },
    // Rows where some judges failed were decided by the rest: shown, never hidden in the panel's figures.
    { key: 'fewer_judges', label: 'decided by fewer', value: integer(panel.fewer_judges), detail: 'some judges failed; the rest decided' },
    { key: 'no_judge', label: 'decided by none', value: integer(panel.no_judge), detail: 'every judge failed' },
  ];
  if (panel.field !== null) {
    const { alpha } = panel;
    figures.push({
      key: 'alpha',
      label: "Krippendorff's alpha",
      value: alpha.value === null ? 'undefined' : alpha.value.toFixed(3),
      detail: `${alpha.level}, ${FIELD_WORDS[panel.field]} · over ${integer(alpha.units)} rows with 2+ votes`,
    });
  }
  const notes = ['Each judge counted as a run of that judge alone would count its rows; "same as panel" compares its grade with the panel\'s on the rows both have.'];
  return { key: 'panel', title: 'Panel of judges', figures, notes, judges: panel.judges.map((judge) => judgeFigures(judge, panel.field)) };
}

/** One judge's figures: the same ones, in the same formats, as its line in the terminal summary. */
function judgeFigures(judge: PanelJudge, field: PanelSummary['field']): JudgeFigures {
  const failed = judge.rows - judge.graded;
  const figures: Figure[] = [{ key: 'graded', label: 'graded', value: integer(judge.graded), detail: `of ${integer(judge.rows)} rows` }];
  if (failed > 0) {
    const codes = Object.entries(judge.errors).map(([code, n]) => `${code} ${integer(n)}`);
    figures.push({ key: 'failed', label: 'failed', value: integer(failed), detail: codes.join(' · ') });
  }
  if (field === 'score' && judge.mean !== null) figures.push(meanFigure('mean', 'mean score', judge.mean, judge.ci95));
  if ((field === 'pass' || field === 'score') && judge.pass_rate !== null) {
    const ci = judge.pass_rate_ci95;
    figures.push({ key: 'pass_rate', label: 'pass rate', value: percent(judge.pass_rate), ...(ci ? { detail: `95% CI ${percent(ci[0])} to ${percent(ci[1])}` } : {}) });
  }
  if (judge.pairwise) {
    const { a, b, tie, flip_rate } = judge.pairwise;
    figures.push({ key: 'pairwise', label: 'A · B · tie', value: `${integer(a)} · ${integer(b)} · ${integer(tie)}` });
    if (flip_rate !== undefined && flip_rate !== null) figures.push({ key: 'flip_rate', label: 'flip rate', value: percent(flip_rate) });
  }
  if (judge.labels) figures.push({ key: 'labels', label: 'labels', value: Object.entries(judge.labels).map(([label, n]) => `${label} ${integer(n)}`).join(' · ') });
  const withPanel = judge.with_panel;
  if (withPanel.exact !== null) figures.push({ key: 'same_as_panel', label: 'same as panel', value: percent(withPanel.exact), detail: `over ${integer(withPanel.n)} rows` });
  if (withPanel.mean_abs_diff !== undefined && withPanel.mean_abs_diff !== null) {
    figures.push({ key: 'mean_abs_diff', label: 'mean |diff| with panel', value: withPanel.mean_abs_diff.toFixed(2), detail: 'score against the panel’s' });
  }
  return { judge: judge.judge, figures };
}
