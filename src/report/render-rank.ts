import type { Ranking } from '../stats/rank.js';
import { integer, percent } from './format.js';
import type { RenderOptions } from './render-summary.js';

/** Renders `verdict rank` as a table, best first, with the intervals beside each figure. */
export function renderRanking(ranking: Ranking, options: RenderOptions): string {
  const bold = (text: string) => (options.color ? `\u001b[1m${text}\u001b[22m` : text);
  const dash = (options.unicode ?? options.color) ? '–' : '-';
  const range = (ci: [number, number] | null | undefined, show: (x: number) => string) => (ci ? `${show(ci[0])}${dash}${show(ci[1])}` : '');
  const elo = (x: number) => x.toFixed(0);
  const lengthControl = ranking.length_coefficient !== undefined;
  const header = ['#', 'system', 'elo', '95% CI', `win rate vs ${ranking.baseline}`, '95% CI', ...(lengthControl ? ['length-controlled', '95% CI'] : []), 'battles'];
  const rows = ranking.systems.map((line) => [
    String(line.rank),
    line.system,
    elo(line.elo),
    line.system === ranking.baseline ? 'baseline' : range(line.elo_ci95, elo),
    line.win_rate === null ? '' : `${percent(line.win_rate)} of ${integer(line.vs_baseline)}`,
    range(line.win_rate_ci95, percent),
    ...(lengthControl ? [line.system === ranking.baseline ? '' : percent(line.length_controlled_win_rate!), range(line.length_controlled_ci95, percent)] : []),
    integer(line.battles),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  // Names and text left, figures right.
  const leftAligned = new Set([1]);
  const format = (cells: string[]) =>
    cells
      .map((cell, column) => (leftAligned.has(column) ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const lines = [bold(format(header)), ...rows.map(format)];
  lines.push('', rankingCounts(ranking));
  if (lengthControl) {
    lines.push(`length term ${ranking.length_coefficient!.toFixed(2)} (log-odds per unit of tanh(length difference / its sd); ${range(ranking.length_coefficient_ci95, (x) => x.toFixed(2)) || 'no interval'})`);
  }
  lines.push(RATING_NOTE);
  return `${lines.join('\n')}\n`;
}

/** What a ranking counted, and how its intervals were drawn: one line, for the terminal and the HTML report. */
export function rankingCounts(ranking: Ranking): string {
  const notes = [`${integer(ranking.battles)} battles`];
  if (ranking.undecided > 0) notes.push(`${integer(ranking.undecided)} records decided nothing (error or no verdict)`);
  if (ranking.self_battles > 0) notes.push(`${integer(ranking.self_battles)} compared a system with itself`);
  if (ranking.replaced > 0) notes.push(`${integer(ranking.replaced)} replaced by a later record`);
  const { resamples, seed } = ranking.bootstrap;
  notes.push(resamples > 0 ? `intervals: ${integer(resamples)} bootstrap resamples of the battles, seed ${seed}` : 'no intervals (--bootstrap 0)');
  return notes.join('; ');
}

/** What the figures of a ranking mean. */
export const RATING_NOTE = 'elo: Bradley-Terry, 400 points = 10:1 odds, baseline at 1000; win rate: ties count half';
