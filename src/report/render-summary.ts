import type { RunStatus, Summary } from '../stats/summary.js';
import { duration, integer, percent, scoreDecimals, usd } from './format.js';
import { fitLine, type Part } from './terminal-line.js';
import { panelLines } from './render-panel.js';
import { unpricedModels } from './unpriced.js';

/** Options of {@link renderSummary}. */
export interface RenderOptions {
  /** ANSI colours; off gives text a log file or a NO_COLOR terminal can hold. */
  color: boolean;
  /** Columns available: bars scale to fit, and no line is longer (long lines break between figures). */
  width: number;
  /** Unicode glyphs (█ bars, ±, ·); defaults to `color`. Off gives plain ASCII. */
  unicode?: boolean;
}

/** The terminal the summary goes to, and what the environment says about colour. */
export interface TerminalInfo {
  isTTY?: boolean;
  columns?: number;
}

/**
 * Render options for a stream: colour only on a terminal, and never when `NO_COLOR` is set to
 * anything but the empty string (no-color.org) or the terminal is `dumb`. Unicode on any terminal
 * but a dumb one. The width is the terminal's, capped at 100 so bars stay readable.
 */
export function terminalRenderOptions(stream: TerminalInfo, env: NodeJS.ProcessEnv): RenderOptions {
  const terminal = stream.isTTY === true && env.TERM !== 'dumb';
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== '';
  return { color: terminal && !noColor, unicode: terminal, width: Math.min(stream.columns ?? 80, 100) };
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
/** Below this many columns the summary abbreviates: shorter names, no explanatory words. */
const NARROW_WIDTH = 60;
/** The most of a server's error message the summary shows. */
const MAX_MESSAGE = 400;
/** More histogram bins than this become one sparkline instead of a bar per score. */
const MAX_BAR_LINES = 12;

/** What drawing a block of the summary needs. */
interface Pen {
  options: Required<RenderOptions>;
  narrow: boolean;
  sep: string;
  paint: (style: Style | undefined, text: string) => string;
  /** One labelled line of figures, broken between figures where it would not fit (under the figures, past `name`, when given). */
  line: (label: string, parts: Part<Style>[], name?: string) => void;
  lines: string[];
}

/** Renders a summary as a compact text block for stderr (ends with a newline). */
export function renderSummary(summary: Summary, renderOptions: RenderOptions): string {
  const options: Required<RenderOptions> = { unicode: renderOptions.color, ...renderOptions };
  const paint = (style: Style | undefined, text: string): string =>
    options.color && style !== undefined ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;
  const sep = options.unicode ? ' · ' : ', ';
  const lines: string[] = [];
  const pen: Pen = {
    options,
    narrow: options.width < NARROW_WIDTH,
    sep,
    paint,
    lines,
    line: (label, parts, name) => {
      const head = (label === '' ? ' '.repeat(LABEL_WIDTH) : paint('bold', label.padEnd(LABEL_WIDTH))) + (name === undefined ? '' : `${name} `);
      const headWidth = LABEL_WIDTH + (name === undefined ? 0 : name.length + 1);
      lines.push(...fitLine(head, headWidth, parts, { width: options.width, sep, unicode: options.unicode, paint }));
    },
  };
  const { line } = pen;

  line('status', [{ text: summary.status, style: STATUS_STYLE[summary.status] }, { text: summary.model }, { text: summary.prompt }]);
  rowsLine(summary, pen);
  // Most rows failed the same way: the server's own words say what to fix, which the code alone does not.
  if (summary.top_error !== undefined) {
    const { code, rows, message } = summary.top_error;
    // A figure per word, so that a long message wraps between words; a very long one is cut.
    const words = truncate(message.replace(/\s+/g, ' ').trim(), MAX_MESSAGE, options.unicode).split(' ');
    line('error', [{ text: `${code} (${integer(rows)} rows):`, style: 'red' }, ...words.map((text) => ({ text, glue: ' ' }))]);
  }
  if (summary.mean !== null) line('mean', meanParts(summary.mean, summary.ci95, pen));
  if (summary.pass_rate !== null) {
    const parts: Part<Style>[] = [{ text: percent(summary.pass_rate) }];
    const ci = summary.pass_rate_ci95;
    if (ci) parts.push({ text: pen.narrow ? `[${percent(ci[0])}, ${percent(ci[1])}]` : `(95% CI ${percent(ci[0])} to ${percent(ci[1])})`, style: 'dim', glue: '  ' });
    line('pass rate', parts);
  }
  lines.push(...histogramLines(summary.histogram, pen));
  if (summary.pairwise !== undefined) pairwiseLine(summary.pairwise, pen);
  if (summary.labels !== undefined) lines.push(...barLines('labels', Object.entries(summary.labels), pen, 'text'));
  if (summary.criteria !== undefined) criteriaLines(summary.criteria, pen);
  if (summary.stability !== undefined) stabilityLine(summary.stability, pen);
  // Every record of a run names how it was scored; the line says something only when a method other than reading the answer was used.
  if (summary.scoring !== undefined && Object.keys(summary.scoring).some((method) => method !== 'answer')) {
    line('scoring', Object.entries(summary.scoring).map(([method, n]) => ({ text: `${method} ${integer(n)}` })));
  }
  if (summary.agreement !== undefined) agreementLine(summary.agreement, pen);
  if (summary.panel !== undefined) panelLines(summary.panel, { narrow: pen.narrow, line: pen.line, mean: (mean, ci95) => meanParts(mean, ci95, pen) });

  const { prompt_tokens, completion_tokens, cached_tokens } = summary.usage;
  const cost = summary.cost_usd === null ? `cost unknown (no price for ${unpricedModels(summary.model)})` : `est. cost ${usd(summary.cost_usd)}`;
  const tokensIn: Part<Style>[] = pen.narrow
    ? [{ text: `${integer(prompt_tokens)} in` }, { text: `${integer(cached_tokens)} cached` }]
    : [{ text: `${integer(prompt_tokens)} in (${integer(cached_tokens)} cached)` }];
  // Reasoning tokens are a part of the output, shown only when the judge reasoned.
  const reasoning = summary.usage.reasoning_tokens ?? 0;
  const out = reasoning > 0 ? `${integer(completion_tokens)} out (${integer(reasoning)} reasoning)` : `${integer(completion_tokens)} out`;
  line('tokens', [...tokensIn, { text: out }, { text: cost }]);
  for (const [i, adaptation] of (summary.adaptations ?? []).entries()) line(i === 0 ? 'adapted' : '', [{ text: adaptation, style: 'yellow' }]);
  line('requests', [
    { text: integer(summary.requests) },
    { text: `${integer(summary.retries)} retries` },
    { text: `${integer(summary.rate_limited)} rate-limited`, style: summary.rate_limited > 0 ? 'yellow' : undefined },
  ]);
  // Said when the cache answered something; a run it could not help reads as before.
  if (summary.cache !== undefined && summary.cache.hits > 0) {
    const saved = summary.cache.saved_usd === null ? 'saving unknown (no price)' : `saved ${usd(summary.cache.saved_usd)}`;
    line('cache', [{ text: `${integer(summary.cache.hits)} hit${summary.cache.hits === 1 ? '' : 's'}` }, { text: saved }]);
  }
  // Waiting for the rate limit is time the limits cost, not time verdict lost: say how much.
  const wall: Part<Style>[] = [{ text: duration(summary.wall_s) }];
  if (summary.wait_s !== undefined && summary.wait_s > 0) wall.push({ text: `${duration(summary.wait_s)} waiting for rate limits` });
  line('wall time', wall);
  return `${lines.join('\n')}\n`;
}

function rowsLine(summary: Summary, pen: Pen): void {
  const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
  const parts: Part<Style>[] = [{ text: `${integer(summary.rows)} rows` }, { text: `${integer(summary.graded)} graded` }];
  if (errorCount === 0) {
    parts.push({ text: '0 errors' });
  } else {
    const byCode = Object.entries(summary.errors).map(([code, n]) => `${code} ${integer(n)}`);
    const errors = `${integer(errorCount)} error${errorCount === 1 ? '' : 's'}`;
    // Narrow: each code a figure of its own, so the line can break between them.
    if (pen.narrow) parts.push({ text: `${errors}:`, style: 'red' }, ...byCode.map((text, i) => ({ text, style: 'red' as const, glue: i === 0 ? ' ' : ', ' })));
    else parts.push({ text: `${errors} (${byCode.join(', ')})`, style: 'red' });
  }
  const unattempted = summary.rows - summary.graded - errorCount;
  if (unattempted > 0) parts.push({ text: `${integer(unattempted)} not graded` });
  pen.line('rows', parts);
}

/** "3.41 ± 0.19  (95% CI 3.22 to 3.60)"; narrow terminals get "3.41 ± 0.19  [3.22, 3.60]". */
function meanParts(mean: number, ci95: [number, number] | null, pen: Pen): Part<Style>[] {
  const digits = scoreDecimals(mean);
  if (ci95 === null) return [{ text: mean.toFixed(digits) }];
  const [lo, hi] = ci95.map((x) => x.toFixed(digits));
  const halfWidth = ((ci95[1] - ci95[0]) / 2).toFixed(digits);
  return [
    { text: `${mean.toFixed(digits)} ${pen.options.unicode ? '±' : '+/-'} ${halfWidth}` },
    { text: pen.narrow ? `[${lo}, ${hi}]` : `(95% CI ${lo} to ${hi})`, style: 'dim', glue: '  ' },
  ];
}

function pairwiseLine(pairwise: NonNullable<Summary['pairwise']>, pen: Pen): void {
  const parts: Part<Style>[] = [{ text: `A ${integer(pairwise.a)}` }, { text: `B ${integer(pairwise.b)}` }, { text: `tie ${integer(pairwise.tie)}` }];
  if (pairwise.flip_rate !== undefined && pairwise.flip_rate !== null) {
    const of = pairwise.swapped !== undefined && !pen.narrow ? ` of ${integer(pairwise.swapped)} judged both ways` : '';
    parts.push({ text: `flip rate ${percent(pairwise.flip_rate)}${of}` });
  }
  // Bias figures over decided judgements (each order counted): about 50% each when the judge has none.
  if (pairwise.longer_wins !== undefined && pairwise.longer_wins !== null) {
    parts.push({ text: `longer wins ${percent(pairwise.longer_wins)}${pen.narrow ? '' : ` of ${integer(pairwise.longer_wins_n ?? 0)}`}` });
  }
  if (pairwise.first_shown_wins !== undefined && pairwise.first_shown_wins !== null) {
    parts.push({ text: `first shown wins ${percent(pairwise.first_shown_wins)}${pen.narrow ? '' : ` of ${integer(pairwise.first_shown_wins_n ?? 0)}`}` });
  }
  pen.line('pairwise', parts);
}

function criteriaLines(criteria: NonNullable<Summary['criteria']>, pen: Pen): void {
  const entries = Object.entries(criteria);
  const nameWidth = Math.min(Math.max(...entries.map(([name]) => name.length)), pen.narrow ? 8 : 20);
  entries.forEach(([name, stats], index) => {
    const label = index === 0 ? 'criteria' : '';
    const shown = truncate(name, nameWidth, pen.options.unicode).padEnd(nameWidth);
    const parts: Part<Style>[] = stats.mean === null ? [{ text: 'no scores' }] : meanParts(stats.mean, stats.ci95, pen);
    // Narrow: the interval says what the ± would, so the ± goes.
    if (pen.narrow && stats.mean !== null) parts[0] = { text: stats.mean.toFixed(scoreDecimals(stats.mean)) };
    parts[0] = { ...parts[0]!, text: `${shown} ${parts[0]!.text}` };
    if (!pen.narrow) parts.push({ text: `n ${integer(stats.n)}`, style: 'dim', glue: '  ' });
    pen.line(label, parts);
  });
}

function stabilityLine(stability: NonNullable<Summary['stability']>, pen: Pen): void {
  const perRow = stability.rows === 0 ? 0 : stability.samples / stability.rows;
  const parts: Part<Style>[] = [{ text: `${integer(stability.rows)} rows ${pen.options.unicode ? '×' : 'x'} ${Number(perRow.toFixed(1))}` }];
  if (stability.agreement !== null) parts.push({ text: `agreement ${percent(stability.agreement)}` });
  if (stability.unanimous_rate !== null) parts.push({ text: `unanimous ${percent(stability.unanimous_rate)}` });
  if (stability.score_sd !== null) parts.push({ text: `score sd ${stability.score_sd.toFixed(2)}` });
  pen.line('stability', parts);
}

function agreementLine(agreement: NonNullable<Summary['agreement']>, pen: Pen): void {
  const parts: Part<Style>[] = [];
  if (typeof agreement.n === 'number') parts.push({ text: `n ${integer(agreement.n)}` });
  if (typeof agreement.accuracy === 'number') parts.push({ text: `accuracy ${percent(agreement.accuracy)}` });
  for (const key of ['kappa', 'spearman', 'kendall', 'pearson'] as const) {
    const value = agreement[key];
    if (typeof value === 'number') parts.push({ text: `${key} ${value.toFixed(2)}` });
  }
  if (parts.length > 0) pen.line('agreement', parts);
}

function histogramLines(histogram: Record<string, number>, pen: Pen): string[] {
  const bins = Object.entries(histogram).sort(([a], [b]) => Number(a) - Number(b));
  if (bins.length === 0) return [];
  return bins.length > MAX_BAR_LINES ? [sparkline(bins, pen)] : barLines('scores', bins, pen, 'number');
}

/** One line per bin: key, rule, a bar proportional to its count, the count; scaled to the width. */
function barLines(title: string, bins: [string, number][], pen: Pen, keys: 'number' | 'text'): string[] {
  const { options, paint } = pen;
  const maxKey = keys === 'text' ? (pen.narrow ? 8 : 16) : Infinity;
  const shownKeys = bins.map(([key]) => truncate(key, maxKey, options.unicode));
  const keyWidth = Math.max(...shownKeys.map((key) => key.length));
  const counts = bins.map(([, n]) => integer(n));
  const countWidth = Math.max(...counts.map((text) => text.length));
  const most = Math.max(...bins.map(([, n]) => n));
  // Label, key, rule, bar, space, count, and one spare column so that a terminal never wraps the
  // line: the bar gets what is left, but never fewer than 3 columns.
  const barWidth = Math.max(3, options.width - LABEL_WIDTH - keyWidth - countWidth - 3);
  const [full, rule] = options.unicode ? ['█', '│'] : ['#', '|'];
  return bins.map(([, n], index) => {
    const length = n === 0 || most === 0 ? 0 : Math.max(1, Math.round((n / most) * barWidth));
    const label = index === 0 ? paint('bold', title.padEnd(LABEL_WIDTH)) : ' '.repeat(LABEL_WIDTH);
    const key = keys === 'number' ? shownKeys[index]!.padStart(keyWidth) : shownKeys[index]!.padEnd(keyWidth);
    const bar = full.repeat(length).padEnd(barWidth);
    return `${label}${key}${rule}${bar} ${counts[index]!.padStart(countWidth)}`;
  });
}

const SPARK_UNICODE = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
const SPARK_ASCII = ['_', '.', '-', ':', '=', '+', '*', '#'];

/**
 * Many distinct scores (a 0-100 scale, means of repeats) as one line: the range from the lowest
 * score to the highest in equal-width columns, each a glyph as tall as its share of the busiest.
 */
function sparkline(bins: [string, number][], pen: Pen): string {
  const { options, paint } = pen;
  const lo = Number(bins[0]![0]);
  const hi = Number(bins[bins.length - 1]![0]);
  const [loText, hiText] = [bins[0]![0], bins[bins.length - 1]![0]];
  const room = options.width - LABEL_WIDTH - loText.length - hiText.length - 3;
  // Sized for the largest count a column could reach, all rows.
  const peak = `  peak ${integer(bins.reduce((sum, [, n]) => sum + n, 0))}`;
  // The count of the busiest column goes after the line when that leaves the sparkline a dozen columns.
  const showPeak = room - peak.length >= 12;
  const columns = Math.max(3, Math.min(showPeak ? room - peak.length : room, 60));
  const counts = new Array<number>(columns).fill(0);
  for (const [key, n] of bins) {
    const at = hi === lo ? 0 : Math.min(columns - 1, Math.floor(((Number(key) - lo) / (hi - lo)) * columns));
    counts[at]! += n;
  }
  const most = Math.max(...counts);
  const glyphs = options.unicode ? SPARK_UNICODE : SPARK_ASCII;
  const spark = counts.map((n) => (n === 0 ? ' ' : glyphs[Math.min(7, Math.floor((n / most) * 7.999))]!)).join('');
  const tail = showPeak ? paint('dim', `  peak ${integer(most)}`) : '';
  return `${paint('bold', 'scores'.padEnd(LABEL_WIDTH))}${loText} ${spark} ${hiText}${tail}`;
}

function truncate(text: string, max: number, unicode: boolean): string {
  if (text.length <= max) return text;
  return unicode ? `${text.slice(0, max - 1)}…` : `${text.slice(0, Math.max(1, max - 3))}...`;
}
