import { duration, integer, percent, scoreDecimals, usd } from '../format.js';
import type { Summary } from '../../stats/summary.js';
import type { Figure } from './report-data.js';

/** A mean with its interval, as the terminal summary prints it: "3.41", "95% CI 3.22 to 3.60". */
export function meanFigure(key: string, label: string, mean: number, ci95: [number, number] | null | undefined): Figure {
  const digits = scoreDecimals(mean);
  const figure: Figure = { key, label, value: mean.toFixed(digits) };
  if (ci95) figure.detail = `95% CI ${ci95[0].toFixed(digits)} to ${ci95[1].toFixed(digits)}`;
  return figure;
}

/**
 * The headline figures of a summary, formatted with the terminal summary's own formats. Figures a
 * file of records cannot know (status, wall time, 429s) are left out of a report rebuilt from one.
 */
export function headlineFigures(summary: Summary, source: 'run' | 'file'): Figure[] {
  const figures: Figure[] = [];
  if (source === 'run') figures.push({ key: 'status', label: 'status', value: summary.status });

  const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  const unattempted = summary.rows - summary.graded - errorCount;
  const rowsDetail = [`${integer(summary.graded)} graded`, `${integer(errorCount)} error${errorCount === 1 ? '' : 's'}`];
  if (unattempted > 0) rowsDetail.push(`${integer(unattempted)} not graded`);
  figures.push({ key: 'rows', label: 'rows', value: integer(summary.rows), detail: rowsDetail.join(' · ') });

  if (summary.mean !== null) figures.push(meanFigure('mean', 'mean score', summary.mean, summary.ci95));
  if (summary.pass_rate !== null) {
    const ci = summary.pass_rate_ci95;
    figures.push({
      key: 'pass_rate',
      label: 'pass rate',
      value: percent(summary.pass_rate),
      ...(ci ? { detail: `95% CI ${percent(ci[0])} to ${percent(ci[1])}` } : {}),
    });
  }
  if (summary.pairwise !== undefined) {
    const { a, b, tie, swapped, flip_rate } = summary.pairwise;
    figures.push({ key: 'pairwise', label: 'A · B · tie', value: `${integer(a)} · ${integer(b)} · ${integer(tie)}` });
    if (flip_rate !== undefined && flip_rate !== null) {
      figures.push({
        key: 'flip_rate',
        label: 'flip rate',
        value: percent(flip_rate),
        detail: `of ${integer(swapped ?? 0)} judged in both orders`,
      });
    }
    const { longer_wins, longer_wins_n, first_shown_wins, first_shown_wins_n } = summary.pairwise;
    if (longer_wins !== undefined && longer_wins !== null) {
      figures.push({ key: 'longer_wins', label: 'longer answer wins', value: percent(longer_wins), detail: `of ${integer(longer_wins_n ?? 0)} decided judgements, by characters` });
    }
    if (first_shown_wins !== undefined && first_shown_wins !== null) {
      figures.push({ key: 'first_shown_wins', label: 'first shown wins', value: percent(first_shown_wins), detail: `of ${integer(first_shown_wins_n ?? 0)} decided judgements` });
    }
  }
  if (errorCount > 0) {
    figures.push({
      key: 'errors',
      label: 'errors',
      value: integer(errorCount),
      detail: Object.entries(summary.errors).map(([code, n]) => `${code} ${integer(n)}`).join(' · '),
    });
  }
  const { prompt_tokens, completion_tokens, cached_tokens } = summary.usage;
  figures.push({
    key: 'cost',
    label: 'est. cost',
    value: summary.cost_usd === null ? 'unknown' : usd(summary.cost_usd),
    detail: `${integer(prompt_tokens)} tokens in (${integer(cached_tokens)} cached) · ${integer(completion_tokens)} out`,
  });
  const requestsDetail = [`${integer(summary.retries)} retries`];
  if (source === 'run') requestsDetail.push(`${integer(summary.rate_limited)} rate-limited`);
  figures.push({ key: 'requests', label: 'requests', value: integer(summary.requests), detail: requestsDetail.join(' · ') });
  if (source === 'run') {
    const waited = summary.wait_s !== undefined && summary.wait_s > 0 ? `${duration(summary.wait_s)} waiting for rate limits` : undefined;
    figures.push({ key: 'wall', label: 'wall time', value: duration(summary.wall_s), ...(waited ? { detail: waited } : {}) });
  }
  return figures;
}
