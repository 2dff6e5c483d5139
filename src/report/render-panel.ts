import type { PanelJudge, PanelSummary } from '../stats/panel-schema.js';
import { integer, percent } from './format.js';
import type { Part } from './terminal-line.js';

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';

/** What the panel's lines need of the summary's drawing. */
export interface PanelPen {
  narrow: boolean;
  /** One labelled line of figures (an empty label continues the block above); with a name, wrapped under the figures past it. */
  line: (label: string, parts: Part<Style>[], name?: string) => void;
  /** A mean with its 95% interval, drawn as the summary draws the run's. */
  mean: (mean: number, ci95: [number, number] | null) => Part<Style>[];
}

/** The words the summary names a panel's compared grade with. */
export const FIELD_WORDS: Record<NonNullable<PanelSummary['field']>, string> = { score: 'scores', pass: 'pass/fail', verdict: 'verdicts', label: 'labels' };

/**
 * The summary's panel block: how many judges decided the rows, the judges' agreement with one
 * another (alpha), then one line per judge with its figures and its agreement with the panel.
 */
export function panelLines(panel: PanelSummary, pen: PanelPen): void {
  const rows: Part<Style>[] = [{ text: `${integer(panel.judges.length)} judges` }];
  if (panel.aggregate !== undefined) rows.push({ text: panel.aggregate === 'majority' ? 'majority vote' : `${panel.aggregate} of the votes` });
  rows.push({ text: `${integer(panel.all_judges)} rows decided by all` });
  // Rows where some judges failed were decided by the rest: said, never hidden in the panel's figures.
  if (panel.fewer_judges > 0) rows.push({ text: `${integer(panel.fewer_judges)} by fewer`, style: 'yellow' });
  if (panel.no_judge > 0) rows.push({ text: `${integer(panel.no_judge)} by none`, style: 'red' });
  pen.line('panel', rows);

  const { alpha } = panel;
  if (panel.field !== null) {
    const value = alpha.value === null ? 'undefined' : alpha.value.toFixed(3);
    const over = pen.narrow ? '' : ` over ${integer(alpha.units)} rows with 2+ votes`;
    pen.line('alpha', [{ text: `${value} (${alpha.level}, ${FIELD_WORDS[panel.field]})${over}` }]);
  }
  const nameWidth = Math.min(Math.max(...panel.judges.map((judge) => judge.judge.length)), pen.narrow ? 12 : 24);
  for (const [i, judge] of panel.judges.entries()) {
    const name = judge.judge.length > nameWidth ? `${judge.judge.slice(0, nameWidth - 1)}~` : judge.judge.padEnd(nameWidth);
    // The name stands apart: a judge's figures that wrap stay under its figures, not under the names.
    pen.line(i === 0 ? 'judges' : '', judgeParts(judge, panel.field, pen), name);
  }
}

function judgeParts(judge: PanelJudge, field: PanelSummary['field'], pen: PanelPen): Part<Style>[] {
  const failed = judge.rows - judge.graded;
  const parts: Part<Style>[] = [{ text: `${integer(judge.graded)} of ${integer(judge.rows)} graded` }];
  if (failed > 0) {
    const codes = Object.entries(judge.errors).map(([code, n]) => `${code} ${integer(n)}`);
    parts.push({ text: pen.narrow ? `${integer(failed)} failed` : `${integer(failed)} failed (${codes.join(', ')})`, style: 'red' });
  }
  if (field === 'score' && judge.mean !== null) {
    const [mean, ...rest] = pen.mean(judge.mean, judge.ci95);
    parts.push({ ...mean!, text: `mean ${mean!.text}` }, ...rest);
  }
  if ((field === 'pass' || field === 'score') && judge.pass_rate !== null) parts.push({ text: `pass ${percent(judge.pass_rate)}` });
  if (judge.pairwise) parts.push({ text: `A ${integer(judge.pairwise.a)} B ${integer(judge.pairwise.b)} tie ${integer(judge.pairwise.tie)}` });
  if (judge.pairwise?.flip_rate != null) parts.push({ text: `flips ${percent(judge.pairwise.flip_rate)}` });
  if (judge.labels) parts.push({ text: Object.entries(judge.labels).map(([label, n]) => `${label} ${integer(n)}`).join(', ') });
  const withPanel = judge.with_panel;
  if (withPanel.exact !== null) parts.push({ text: `same as panel ${percent(withPanel.exact)}` });
  if (withPanel.mean_abs_diff !== undefined && withPanel.mean_abs_diff !== null) parts.push({ text: `mean |diff| ${withPanel.mean_abs_diff.toFixed(2)}` });
  return parts;
}
