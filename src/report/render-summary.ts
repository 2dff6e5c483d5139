import type { RunStatus, Summary } from './summary.js';
import { duration, integer, percent, scoreDecimals, usd } from './format.js';

/** Options of {@link renderSummary}. */
export interface RenderOptions {
  /** ANSI colours and Unicode bars; off gives plain ASCII, safe for logs. */
  color: boolean;
  /** Columns available; the histogram bars scale to fit. */
  width: number;
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow';
const ANSI: Record<Style, [string, string]> = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  red: ['\u001b[31m', '\u001b[39m'],
  green: ['\u001b[32m', '\u001b[39m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
};

const STATUS_STYLE: Record<RunStatus, Style> = { complete: 'green', cancelled: 'yellow', failed: 'red' };
const LABEL_WIDTH = 10;

/** Renders a summary as a compact text block for stderr (no trailing newline). */
export function renderSummary(summary: Summary, options: RenderOptions): string {
  const paint = (style: Style, text: string): string =>
    options.color ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;
  const sep = options.color ? ' · ' : ', ';
  const lines: string[] = [];
  const line = (label: string, text: string): void => {
    lines.push(`${paint('bold', label.padEnd(LABEL_WIDTH))}${text}`);
  };

  line('status', `${paint(STATUS_STYLE[summary.status], summary.status)}${sep}${summary.model}${sep}${summary.prompt}`);

  const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  let rowsText = `${integer(summary.rows)} rows${sep}${integer(summary.graded)} graded${sep}`;
  if (errorCount === 0) {
    rowsText += '0 errors';
  } else {
    const byCode = Object.entries(summary.errors).map(([code, n]) => `${code} ${integer(n)}`);
    rowsText += paint('red', `${integer(errorCount)} error${errorCount === 1 ? '' : 's'} (${byCode.join(', ')})`);
  }
  const unattempted = summary.rows - summary.graded - errorCount;
  if (unattempted > 0) rowsText += `${sep}${integer(unattempted)} not graded`;
  line('rows', rowsText);

  if (summary.mean !== null) {
    const digits = scoreDecimals(summary.mean);
    let text = summary.mean.toFixed(digits);
    if (summary.ci95 !== null) {
      const [lo, hi] = summary.ci95.map((x) => x.toFixed(digits));
      const halfWidth = ((summary.ci95[1] - summary.ci95[0]) / 2).toFixed(digits);
      text += ` ${options.color ? '±' : '+/-'} ${halfWidth}  ${paint('dim', `(95% CI ${lo} to ${hi})`)}`;
    }
    line('mean', text);
  }
  if (summary.pass_rate !== null) line('pass rate', percent(summary.pass_rate));
  lines.push(...histogramLines(summary.histogram, options, paint));
  if (summary.pairwise !== undefined) {
    const { a, b, tie } = summary.pairwise;
    line('pairwise', `A ${integer(a)}${sep}B ${integer(b)}${sep}tie ${integer(tie)}`);
  }

  const { prompt_tokens, completion_tokens, cached_tokens } = summary.usage;
  const cost = summary.cost_usd === null ? `cost unknown (no price for ${summary.model})` : `est. cost ${usd(summary.cost_usd)}`;
  line(
    'tokens',
    `${integer(prompt_tokens)} in (${integer(cached_tokens)} cached)${sep}${integer(completion_tokens)} out${sep}${cost}`,
  );
  const rateLimited = `${integer(summary.rate_limited)} rate-limited`;
  line(
    'requests',
    `${integer(summary.requests)}${sep}${integer(summary.retries)} retries${sep}` +
      (summary.rate_limited > 0 ? paint('yellow', rateLimited) : rateLimited),
  );
  // Waiting for the rate limit is time the limits cost, not time verdict lost: say how much.
  const waited = summary.wait_s !== undefined && summary.wait_s > 0 ? `${sep}${duration(summary.wait_s)} waiting for rate limits` : '';
  line('wall time', `${duration(summary.wall_s)}${waited}`);
  return `${lines.join('\n')}\n`;
}

function histogramLines(
  histogram: Record<string, number>,
  options: RenderOptions,
  paint: (style: Style, text: string) => string,
): string[] {
  const bins = Object.entries(histogram).sort(([a], [b]) => Number(a) - Number(b));
  if (bins.length === 0) return [];
  const keyWidth = Math.max(...bins.map(([key]) => key.length));
  const counts = bins.map(([, n]) => integer(n));
  const countWidth = Math.max(...counts.map((text) => text.length));
  const most = Math.max(...bins.map(([, n]) => n));
  // Label, key, rule, bar, space, count, and one spare column so that a terminal never wraps the
  // line: the bar gets what is left, but never fewer than 5 columns.
  const barWidth = Math.max(5, options.width - LABEL_WIDTH - keyWidth - countWidth - 3);
  const [full, rule] = options.color ? ['█', '│'] : ['#', '|'];
  return bins.map(([key, n], index) => {
    const length = n === 0 ? 0 : Math.max(1, Math.round((n / most) * barWidth));
    const label = index === 0 ? paint('bold', 'scores'.padEnd(LABEL_WIDTH)) : ' '.repeat(LABEL_WIDTH);
    const bar = full.repeat(length).padEnd(barWidth);
    return `${label}${key.padStart(keyWidth)}${rule}${bar} ${(counts[index] ?? '').padStart(countWidth)}`;
  });
}
