import type { Agreement } from '../stats/agreement-schema.js';
import type { PanelSummary } from '../stats/panel-schema.js';
import { integer, percent } from './format.js';
import { coefficient, LABEL_WIDTH, Pen } from './render-pen.js';
import type { RenderOptions } from './render-summary.js';

const FIGURES = ['accuracy', 'kappa', 'spearman', 'kendall', 'pearson'] as const;

/**
 * A panel against the human labels, side by side: the panel's grade (the block above has it in full)
 * and each judge's votes, a row each with the point figures; their intervals are in --json. A table
 * too wide for the terminal becomes a line per judge, wrapped between figures.
 */
export function renderPanelAgreement(panel: PanelSummary, agreement: Agreement, options: RenderOptions): string {
  const judges = panel.judges.filter((judge) => judge.agreement !== undefined);
  if (judges.length === 0) return '';
  const pen = new Pen(options);
  const arrow = pen.unicode ? '→' : 'vs';
  pen.line('by judge', pen.words(`${agreement.label_field} (human) ${arrow} ${agreement.judge_field}; intervals in --json`, 'dim'));
  const rows: [string, Agreement][] = [['panel', agreement], ...judges.map((judge): [string, Agreement] => [judge.judge, judge.agreement!])];
  // Only the figures some row has: a pairwise panel has no correlations, continuous scores no accuracy.
  const figures = FIGURES.filter((key) => rows.some(([, row]) => row[key] !== null));
  const cell = (row: Agreement, key: (typeof FIGURES)[number]): string => {
    const value = row[key];
    return value === null ? '-' : key === 'accuracy' ? percent(value) : coefficient(value);
  };
  const table = [['', 'n', ...figures], ...rows.map(([name, row]) => [name, integer(row.n), ...figures.map((key) => cell(row, key))])];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
  const width = LABEL_WIDTH + widths.reduce((sum, w) => sum + w + 2, 0);
  if (width < options.width) {
    for (const line of table) {
      const [name, ...cells] = line;
      pen.raw(`${' '.repeat(LABEL_WIDTH)}${name!.padEnd(widths[0]!)}  ${cells.map((text, i) => text.padStart(widths[i + 1]!)).join('  ')}`.trimEnd());
    }
  } else {
    for (const [name, row] of rows) {
      pen.line('', [{ text: `${name}: n ${integer(row.n)}` }, ...figures.filter((key) => row[key] !== null).map((key) => ({ text: `${key} ${cell(row, key)}` }))]);
    }
  }
  return pen.text();
}
