import type { StatsReport } from '../stats/run-stats.js';
import { integer } from './format.js';
import { renderAgreement } from './render-agreement.js';
import { renderPanelAgreement } from './render-panel-agreement.js';
import { Pen } from './render-pen.js';
import { renderSummary, type RenderOptions } from './render-summary.js';

/**
 * Renders `verdict stats`: the summary as a run prints it, where its figures came from, then the
 * agreement with human labels in full (in place of the summary's one-line agreement), and for a
 * panel each judge's beside the panel's.
 */
export function renderStats(report: StatsReport, files: readonly string[], options: RenderOptions): string {
  const { agreement, ...summary } = report.summary;
  const pen = new Pen(options);
  const source = [{ text: `${integer(report.records)} records in ${files.length === 1 ? files[0]! : `${files.length} files`}` }];
  if (report.replaced > 0) source.push({ text: `${integer(report.replaced)} replaced by a later record of the same id` });
  pen.line('from', source);
  // Records keep attempts but not 429s or time, so those figures of the summary are unknown here.
  pen.line('', pen.words('rate-limited responses and wall time are not kept in records: shown as 0', 'dim'));
  const byJudge = agreement && summary.panel ? renderPanelAgreement(summary.panel, agreement, options) : '';
  return renderSummary(summary, options) + pen.text() + (agreement ? renderAgreement(agreement, options) : '') + byJudge;
}
