import type { ResultRecord } from '../../results/record.js';
import type { Ranking } from '../../stats/rank.js';
import type { Summary } from '../../stats/summary.js';

/**
 * What an HTML report embeds, as JSON, for its page script to draw. Every figure is computed here
 * in Node (the same SummaryAccumulator as the terminal summary); the page only lays it out.
 */
export interface ReportData {
  version: 1;
  generated_at: string;
  /** One run, or two for a side-by-side comparison (A, then B). */
  runs: RunView[];
  /** Judge-input message texts, each stored once: a system prompt is shared by every row. */
  texts: string[];
  comparison: ComparisonView | null;
}

/** A headline figure, already formatted as the terminal summary formats it. */
export interface Figure {
  /** Stable name (`mean`, `pass_rate`, …): the page marks the figure with it, and tests find it by it. */
  key: string;
  label: string;
  value: string;
  detail?: string;
}

/** Figures on one topic, shown under a heading, with notes in words. */
export interface FigureGroup {
  key: string;
  title: string;
  figures: Figure[];
  notes: string[];
  /** A panel's group only: each judge's own figures, in the summary's order. */
  judges?: JudgeFigures[];
}

/** One judge of a panel and its figures. */
export interface JudgeFigures {
  judge: string;
  figures: Figure[];
}

/** One results file. */
export interface RunView {
  /** Short name: the file's base name. */
  name: string;
  /** Its path as shown: relative to the working directory when inside it, else the base name. */
  file: string;
  /** `run`: built by `verdict run` at its end, with the run's own summary; `file`: rebuilt from records. */
  source: 'run' | 'file';
  summary: Summary;
  figures: Figure[];
  /** Further figures by topic (stability over repeats, agreement with human labels), each with its title. */
  groups: FigureGroup[];
  /** Agreement's confusion matrix (rows: human label, columns: judge), when the summary has one. */
  confusion: { labels: string[]; matrix: number[][] } | null;
  /** The score scale the charts are drawn on: the prompt's, else the scores' own range; null without scores. */
  scale: { min: number; max: number } | null;
  /** How the judge input of the rows is shown, in words (and why not rendered, when it is not). */
  input_note: string;
  /** Every record, worst first: errors, then fails, then the lowest scores. */
  rows: RowView[];
  /** `verdict rank`'s ranking of the systems its pairwise rows name (as `rank --json` prints it); null otherwise. */
  ranking: Ranking | null;
  /** The lines under the ranking (what it counted, what the figures mean), or why a pairwise file naming its systems has none. */
  ranking_notes: string[];
}

/** A record as the table and its detail show it. */
export interface RowView extends Omit<ResultRecord, 'judge' | 'usage' | 'row' | 'cached' | 'finish_reason'> {
  model: string;
  tokens: { prompt: number; completion: number };
  /** The rendered judge input: [role, index into `texts`] per message; null when not rendered. */
  input: [string, number][] | null;
  /** The dataset row, when the judge input could not be rendered from it. */
  fields: Record<string, unknown> | null;
  /** Why this row's judge input is not rendered, when the run's note does not say. */
  input_note?: string;
}

/** Two runs joined on row id. */
export interface ComparisonView {
  /** [index in runs[0].rows, index in runs[1].rows], most changed for the worse first. */
  pairs: [number, number][];
  only_a: number;
  only_b: number;
  figures: Figure[];
}
