import type { Comparison, CompareSide } from '../stats/comparison-schema.js';
import { integer } from './format.js';
import { displayPath } from './html/display-path.js';
import { metricName } from '../stats/metric-name.js';
import { pValue } from './render-pen.js';
import { markdownCell } from './step-summary.js';

/** Options of {@link renderCompareMarkdown}. */
export interface CompareMarkdownOptions {
  /** The --fail-if-worse gate, when one was asked for: its delta and why it failed (undefined: it passed). */
  gate?: { delta: number; failure?: string };
  /** 3 stands alone (a pull-request comment, `--markdown`); 4 nests under a run's step summary. */
  level?: 3 | 4;
  /** Files are named relative to it when inside it, else by base name: a comment is shared. */
  cwd?: string;
}

const MINUS = '−';

/**
 * A comparison of a baseline (a) and new results (b) as GitHub-flavoured Markdown, for a
 * pull-request comment or a job's step summary: the headline figure with its 95% interval, the ids
 * that got better, stayed equal and got worse, and the ids that got worse most. Ends with a newline.
 */
export function renderCompareMarkdown(comparison: Comparison, options: CompareMarkdownOptions = {}): string {
  const { gate } = options;
  const name = metricName(comparison);
  const rate = comparison.metric !== 'mean';
  const decimals = rate ? 3 : 2;
  const plain = (x: number | null) => (x === null ? '—' : x.toFixed(decimals));
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? MINUS : ''}${Math.abs(x).toFixed(decimals)}`;

  const title = gate === undefined ? 'compared with the baseline' : gate.failure === undefined ? `not surely worse than the baseline${gate.delta > 0 ? ` by more than ${gate.delta}` : ''}` : 'worse than the baseline';
  const icon = gate === undefined ? '' : gate.failure === undefined ? '✅ ' : '❌ ';
  const lines = [`${'#'.repeat(options.level ?? 3)} ${icon}verdict: ${title} · ${markdownCell(name)}`, ''];
  if (gate?.failure !== undefined) lines.push(`- ${markdownCell(gate.failure)}`, '');

  const interval = comparison.mean_diff_ci95;
  lines.push(
    '| figure | base | head | head − base | 95% CI |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| ${markdownCell(name)} | ${plain(comparison.mean_a)} | ${plain(comparison.mean_b)} | ${comparison.mean_diff === null ? '—' : signed(comparison.mean_diff)} | ${interval === null ? '—' : `${signed(interval[0])} to ${signed(interval[1])}`} |`,
    '',
    '| ids in both | better | equal | worse | sign test |',
    '| ---: | ---: | ---: | ---: | ---: |',
    `| ${integer(comparison.n)} | ${integer(comparison.wins)} | ${integer(comparison.ties)} | ${integer(comparison.losses)} | ${comparison.sign_test_p === null ? '—' : `p = ${pValue(comparison.sign_test_p)}`} |`,
    '',
  );
  const left = leftOut(comparison);
  if (left.length > 0) lines.push(`Left out: ${left.join('; ')}.`, '');

  if (comparison.worse.length > 0) {
    const shown = comparison.worse.length < comparison.losses ? `${comparison.worse.length} of ${integer(comparison.losses)}` : String(comparison.worse.length);
    lines.push(`**Rows that got worse most (${shown})**`, '', '| id | base | head | delta |', '| --- | ---: | ---: | ---: |');
    for (const row of comparison.worse) {
      lines.push(`| ${markdownCell(row.id)} | ${cellValue(comparison, row.a)} | ${cellValue(comparison, row.b)} | ${signed(row.diff)} |`);
    }
    lines.push('');
  }
  lines.push(`<sub>${footer(comparison, options.cwd)}</sub>`, '');
  return `${lines.join('\n')}\n`;
}

function leftOut(comparison: Comparison): string[] {
  const left: string[] = [];
  if (comparison.only_in_a > 0) left.push(`${integer(comparison.only_in_a)} only in base`);
  if (comparison.only_in_b > 0) left.push(`${integer(comparison.only_in_b)} only in head`);
  const { errored } = comparison;
  if (errored.a + errored.b > 0) left.push(`errors: ${integer(errored.a)} in base, ${integer(errored.b)} in head`);
  if (comparison.no_value > 0) left.push(`${integer(comparison.no_value)} without the value`);
  return left;
}

// A row's value as the metric reads it: a score, pass or fail, or the preferred output of a pair.
function cellValue(comparison: Comparison, value: number): string {
  if (comparison.metric === 'pass_rate') return value === 1 ? 'pass' : 'fail';
  if (comparison.metric === 'win_rate') return value === 1 ? 'A' : value === 0 ? 'B' : 'tie';
  return String(Number(value.toFixed(2)));
}

function footer(comparison: Comparison, cwd: string | undefined): string {
  const side = (label: string, s: CompareSide) =>
    `${label} ${markdownCell(displayPath(s.file, cwd))} (${markdownCell([...s.models, ...s.prompts].join(', '))})`;
  const how =
    comparison.bootstrap === null
      ? 'no bootstrap interval'
      : `paired percentile bootstrap over the ids, ${integer(comparison.bootstrap.resamples)} resamples, seed ${comparison.bootstrap.seed}`;
  const winRate = comparison.metric === 'win_rate' ? '; win rate of A: the share of rows whose verdict prefers output A, a tie counting half' : '';
  return `${side('base', comparison.a)}; ${side('head', comparison.b)}; ${how}${winRate}`;
}
