import type { ResultRecord } from '../results/record.js';
import type { Summary } from '../stats/summary.js';
import { duration, integer, percent, scoreDecimals, usd } from './format.js';
import { unpricedModels } from './unpriced.js';

/** Options of {@link renderStepSummary}. */
export interface StepSummaryOptions {
  /** Why the run's exit code is not 0 (failed gates, too many errors); shown under the heading. */
  reasons?: readonly string[];
  /** Longest reasoning or error message shown for a worst row, in characters. */
  textLength?: number;
  /** The comparison with a --baseline, as renderCompareMarkdown wrote it (level 4); shown after the figures. */
  comparison?: string;
}

const BAR_WIDTH = 20;

/**
 * Text made safe for one cell of a GitHub markdown table: line breaks become spaces, control
 * characters go, and markdown and HTML punctuation is backslash-escaped (so `|` cannot end the cell
 * and a judge's `<details>` or `**` cannot restyle the page).
 */
export function markdownCell(text: string): string {
  return text
    .replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')
    .replace(/[\u0000-\u001f\u007f]/g, '')
    .replace(/[\\`*_[\]<>|~&#!]/g, (char) => `\\${char}`);
}

function shorten(text: string, length: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= length ? flat : `${chars.slice(0, length - 1).join('').trimEnd()}…`;
}

function headline(summary: Summary, failed: boolean): string {
  const icon = summary.status === 'failed' || failed ? '❌' : summary.status === 'cancelled' ? '⚠️' : '✅';
  return `### ${icon} verdict: ${summary.status} · ${markdownCell(summary.prompt)} · ${markdownCell(summary.model)}`;
}

function figures(summary: Summary): [string, string][] {
  const rows: [string, string][] = [];
  const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  rows.push(['rows', integer(summary.rows)], ['graded', integer(summary.graded)]);
  const byCode = Object.entries(summary.errors).map(([code, n]) => `${markdownCell(code)} ${integer(n)}`);
  rows.push(['errors', errorCount === 0 ? '0' : `${integer(errorCount)} (${byCode.join(', ')})`]);
  const unattempted = summary.rows - summary.graded - errorCount;
  if (unattempted > 0) rows.push(['not graded', integer(unattempted)]);
  if (summary.mean !== null) {
    const digits = scoreDecimals(summary.mean);
    let text = summary.mean.toFixed(digits);
    if (summary.ci95 !== null) {
      const [lo, hi] = summary.ci95.map((x) => x.toFixed(digits));
      text += ` ± ${((summary.ci95[1] - summary.ci95[0]) / 2).toFixed(digits)} (95% CI ${lo} to ${hi})`;
    }
    rows.push(['mean score', text]);
  }
  if (summary.pass_rate !== null) rows.push(['pass rate', percent(summary.pass_rate)]);
  if (summary.pairwise !== undefined) {
    const { a, b, tie } = summary.pairwise;
    rows.push(['pairwise', `A ${integer(a)}, B ${integer(b)}, tie ${integer(tie)}`]);
  }
  const { prompt_tokens, completion_tokens, cached_tokens } = summary.usage;
  rows.push(['tokens', `${integer(prompt_tokens)} in (${integer(cached_tokens)} cached), ${integer(completion_tokens)} out`]);
  const cost = summary.cost_usd;
  rows.push(['est. cost', cost === null ? `unknown (no price for ${markdownCell(unpricedModels(summary.model))})` : usd(cost)]);
  rows.push(
    ['requests', integer(summary.requests)],
    ['retries', integer(summary.retries)],
    ['rate-limited', integer(summary.rate_limited)],
  );
  // Under a twentieth of a second the wait would print as 0.0s: not worth a row.
  if (summary.wait_s !== undefined && summary.wait_s >= 0.05) rows.push(['waiting for rate limits', duration(summary.wait_s)]);
  rows.push(['wall time', duration(summary.wall_s)]);
  return rows;
}

function histogramTable(histogram: Record<string, number>): string[] {
  const bins = Object.entries(histogram).sort(([a], [b]) => Number(a) - Number(b));
  if (bins.length === 0) return [];
  const most = Math.max(...bins.map(([, n]) => n));
  return [
    '#### Scores',
    '',
    '| score | rows | |',
    '| ---: | ---: | --- |',
    ...bins.map(([key, n]) => {
      const length = n === 0 ? 0 : Math.max(1, Math.round((n / most) * BAR_WIDTH));
      return `| ${markdownCell(key)} | ${integer(n)} | ${'█'.repeat(length)} |`;
    }),
  ];
}

function worstTable(worst: readonly ResultRecord[], textLength: number): string[] {
  if (worst.length === 0) return [];
  return [
    `#### Worst rows (${worst.length})`,
    '',
    '| id | score | pass | reasoning or error |',
    '| --- | ---: | :---: | --- |',
    ...worst.map((record) => {
      const score = record.score === null ? '—' : String(Number(record.score.toFixed(2)));
      const verdict = record.error !== null ? 'error' : record.pass === null ? '—' : record.pass ? 'pass' : 'fail';
      const text = record.error !== null ? `${record.error.code}: ${record.error.message}` : (record.reasoning ?? '');
      return `| ${markdownCell(record.id)} | ${score} | ${verdict} | ${markdownCell(shorten(text, textLength))} |`;
    }),
  ];
}

/**
 * Renders a run's summary as GitHub-flavoured markdown for a job's step summary
 * (`GITHUB_STEP_SUMMARY`): a heading, the headline figures, the score histogram and the worst rows.
 * Ends with a blank line, so that summaries appended one after another stay apart.
 */
export function renderStepSummary(summary: Summary, worst: readonly ResultRecord[], options: StepSummaryOptions = {}): string {
  const reasons = options.reasons ?? [];
  const lines = [headline(summary, reasons.length > 0), ''];
  if (reasons.length > 0) lines.push(...reasons.map((reason) => `- ${markdownCell(reason)}`), '');
  lines.push('| figure | value |', '| --- | --- |');
  for (const [label, value] of figures(summary)) lines.push(`| ${label} | ${value} |`);
  lines.push('');
  if (options.comparison !== undefined) lines.push(options.comparison.trimEnd(), '');
  const histogram = histogramTable(summary.histogram);
  if (histogram.length > 0) lines.push(...histogram, '');
  const worstLines = worstTable(worst, options.textLength ?? 140);
  if (worstLines.length > 0) lines.push(...worstLines, '');
  return `${lines.join('\n')}\n`;
}
