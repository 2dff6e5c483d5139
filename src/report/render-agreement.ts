import type { Agreement } from '../stats/agreement-schema.js';
import { integer, percent } from './format.js';
import type { RenderOptions } from './render-summary.js';
import { coefficient, LABEL_WIDTH, Pen, type Style } from './render-pen.js';
import type { Part } from './terminal-line.js';

// A confusion matrix with more categories than this is left to --json: it would not be read anyway.
const MAX_MATRIX_CATEGORIES = 12;

/** Renders the agreement of a judge with human labels (`verdict stats --label-field`) as a text block. */
export function renderAgreement(agreement: Agreement, options: RenderOptions): string {
  const pen = new Pen(options);
  const arrow = pen.unicode ? '→' : 'vs';
  pen.line('agreement', [{ text: `${agreement.label_field} (human) ${arrow} ${agreement.judge_field} (judge)` }, { text: agreement.scale }]);
  pen.line('rows', rowsParts(agreement));
  if (agreement.bootstrap !== null) {
    const { resamples, seed, unit } = agreement.bootstrap;
    const over = unit === 'group' && agreement.groups ? `${agreement.groups.field} groups` : 'rows';
    pen.line('intervals', pen.words(`95% percentile bootstrap, ${integer(resamples)} resamples of ${over} (seed ${seed})`, 'dim'));
  }

  const share = (x: number) => percent(x);
  const figure = (label: string, value: number | null | undefined, ci: [number, number] | null | undefined, format: (x: number) => string, extra: Part<Style>[] = []) => {
    if (value === null || value === undefined) return;
    pen.line(label, [{ text: format(value) }, ...extra, ...pen.interval(ci, format)]);
  };
  figure('accuracy', agreement.accuracy, agreement.accuracy_ci95, share);
  const weights = agreement.kappa_weights === 'quadratic' ? [{ text: 'quadratic-weighted', glue: ' ' }] : [];
  figure('kappa', agreement.kappa, agreement.kappa_ci95, coefficient, weights);
  figure('macro F1', agreement.macro_f1, agreement.macro_f1_ci95, coefficient);
  if (agreement.groups) {
    const { field, used, total } = agreement.groups;
    const text = `correlations within each ${field} group, averaged over the ${integer(used)} of ${integer(total)} groups where neither side is constant`;
    pen.line('level', pen.words(text, 'dim'));
  }
  figure('spearman', agreement.spearman, agreement.spearman_ci95, coefficient);
  figure('kendall', agreement.kendall, agreement.kendall_ci95, coefficient);
  figure('pearson', agreement.pearson, agreement.pearson_ci95, coefficient);

  const withoutTies = agreement.without_ties;
  if (withoutTies) {
    const parts: Part<Style>[] = [{ text: `${integer(withoutTies.n)} rows without a tie on either side` }];
    if (withoutTies.accuracy !== null) parts.push({ text: `accuracy ${share(withoutTies.accuracy)}` }, ...pen.interval(withoutTies.accuracy_ci95, share));
    if (withoutTies.kappa !== null) parts.push({ text: `kappa ${coefficient(withoutTies.kappa)}` }, ...pen.interval(withoutTies.kappa_ci95, coefficient));
    pen.line('no ties', parts);
  }
  const byOrder = agreement.by_order;
  if (byOrder) {
    const parts: Part<Style>[] = [{ text: `${integer(byOrder.n)} judged both ways` }];
    if (byOrder.mean_accuracy !== null) parts.push({ text: `accuracy AB ${share(byOrder.ab_accuracy!)}, BA ${share(byOrder.ba_accuracy!)}, mean ${share(byOrder.mean_accuracy)}` });
    if (byOrder.positional_agreement !== null) parts.push({ text: `positional agreement ${share(byOrder.positional_agreement)}` });
    pen.line('by order', parts);
  }
  if (agreement.confusion) confusionLines(agreement.confusion, pen);
  for (const note of agreement.notes) pen.line('note', pen.words(note, 'yellow'));
  return pen.text();
}

function rowsParts(agreement: Agreement): Part<Style>[] {
  const { errors, no_label, no_judge_value, no_group } = agreement.skipped;
  const parts: Part<Style>[] = [{ text: `${integer(agreement.n)} compared` }];
  if (no_label > 0) parts.push({ text: `${integer(no_label)} without a label skipped` });
  if (errors > 0) parts.push({ text: `${integer(errors)} error${errors === 1 ? '' : 's'} skipped` });
  if (no_judge_value > 0) parts.push({ text: `${integer(no_judge_value)} without the judge value skipped` });
  if (no_group !== undefined && no_group > 0) parts.push({ text: `${integer(no_group)} without a group skipped` });
  return parts;
}

function confusionLines(confusion: NonNullable<Agreement['confusion']>, pen: Pen): void {
  const { labels, matrix } = confusion;
  if (labels.length === 0) return;
  if (labels.length > MAX_MATRIX_CATEGORIES) {
    pen.line('confusion', [{ text: `${labels.length} × ${labels.length}: see --json`, style: 'dim' }]);
    return;
  }
  const cells = matrix.flat().map(integer);
  const width = Math.max(...labels.map((label) => label.length), ...cells.map((cell) => cell.length));
  const rowHead = Math.max(...labels.map((label) => label.length));
  pen.line('confusion', [{ text: 'rows: human, columns: judge', style: 'dim' }]);
  const indent = ' '.repeat(LABEL_WIDTH);
  pen.raw(`${indent}${' '.repeat(rowHead)}  ${labels.map((label) => pen.paint('bold', label.padStart(width))).join(' ')}`);
  labels.forEach((label, i) => {
    const row = matrix[i]!.map((count, j) => {
      const text = integer(count).padStart(width);
      return i === j ? pen.paint('bold', text) : text;
    });
    pen.raw(`${indent}${pen.paint('bold', label.padStart(rowHead))}  ${row.join(' ')}`);
  });
}
