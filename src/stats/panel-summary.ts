import { flippedOf, type PanelAggregate, type ResultRecord, type Vote } from '../results/record.js';
import { CoincidenceAccumulator, type AlphaMetric } from './krippendorff.js';
import { PanelField, type PanelJudge, type PanelSummary } from './panel-schema.js';
import type { RunFacts, Summary } from './summary.js';

/** A judge's vote as a record of its own: the row judged by that judge alone, as a one-judge run would write it. */
export function voteAsRecord(record: ResultRecord, vote: Vote): ResultRecord {
  const { votes: _votes, cached: _cached, ...rest } = record;
  return {
    ...rest,
    score: vote.score,
    pass: vote.pass,
    verdict: vote.verdict,
    label: vote.label,
    criteria: vote.criteria,
    reasoning: vote.reasoning,
    // The judge's own answers (both orders of a pair, --repeat): its flips and stability are its own.
    samples: vote.samples ?? null,
    agreement: null,
    flipped: flippedOf(vote.samples ?? []),
    error: vote.error,
    judge: { ...record.judge, model: vote.judge },
    attempts: vote.attempts,
    usage: vote.usage,
    ...(vote.cached === true ? { cached: true } : {}),
  };
}

/** What counts one judge's votes: the run summary's own accumulator, so a judge's figures are a run's. */
export interface FigureAccumulator {
  add(record: ResultRecord): void;
  finish(run: RunFacts): Summary;
}

type Grade = number | string | boolean | null;

const FIELDS = PanelField.options;
// Scores are compared by their distance; pass, verdicts and labels only by equality.
const LEVEL: Record<PanelField, Extract<AlphaMetric, 'interval' | 'nominal'>> = { verdict: 'nominal', label: 'nominal', pass: 'nominal', score: 'interval' };

function gradeOf(grades: Pick<ResultRecord, PanelField>, field: PanelField): Grade {
  return grades[field];
}

/** A judge's agreement with the panel over one field. */
interface WithPanel {
  n: number;
  same: number;
  absDiff: number;
}

interface JudgeState {
  rows: number;
  figures: FigureAccumulator;
  withPanel: Record<PanelField, WithPanel>;
}

/**
 * Folds a panel's records (those with `votes`) into the summary's `panel` section, in memory
 * bounded by judges and distinct values, never by rows: each judge's figures by the run summary's
 * own accumulator, agreement with the panel as counts, alpha as a coincidence matrix per field.
 */
export class PanelAccumulator {
  private readonly judges = new Map<string, JudgeState>();
  private rows = 0;
  /** Rows by how many judges graded them. */
  private readonly decidedBy = new Map<number, number>();
  private readonly alpha = new Map<PanelField, { coincidences: CoincidenceAccumulator; units: number }>(
    FIELDS.map((field) => [field, { coincidences: new CoincidenceAccumulator(LEVEL[field]), units: 0 }]),
  );
  private readonly seen = new Set<PanelField>();
  // A pass-fail prompt scores a pass 1 and a fail 0; a score prompt's pass is a threshold on a wider scale.
  private passFailShaped = true;

  constructor(private readonly newFigures: () => FigureAccumulator) {}

  /** Counts one record; one without votes (a one-judge run's) is not a panel's and is ignored. */
  add(record: ResultRecord): void {
    if (record.votes === undefined) return;
    this.rows += 1;
    const graded = record.votes.filter((vote) => vote.error === null);
    this.decidedBy.set(graded.length, (this.decidedBy.get(graded.length) ?? 0) + 1);
    for (const vote of graded) {
      for (const field of FIELDS) if (vote[field] !== null) this.seen.add(field);
      if (vote.score !== null && vote.score !== (vote.pass === null ? null : vote.pass ? 1 : 0)) this.passFailShaped = false;
    }
    for (const vote of record.votes) this.addVote(record, vote);
    for (const field of FIELDS) {
      // Failed votes are missing values; alpha takes pass as text, as it takes verdicts and labels.
      const unit = record.votes.map((vote) => (vote.error === null ? alphaValue(gradeOf(vote, field)) : null));
      const alpha = this.alpha.get(field)!;
      if (unit.filter((value) => value !== null).length >= 2) alpha.units += 1;
      alpha.coincidences.add(unit);
    }
  }

  private addVote(record: ResultRecord, vote: Vote): void {
    let judge = this.judges.get(vote.judge);
    if (!judge) {
      const empty = (): WithPanel => ({ n: 0, same: 0, absDiff: 0 });
      judge = { rows: 0, figures: this.newFigures(), withPanel: { verdict: empty(), label: empty(), pass: empty(), score: empty() } };
      this.judges.set(vote.judge, judge);
    }
    judge.rows += 1;
    judge.figures.add(voteAsRecord(record, vote));
    if (vote.error !== null || record.error !== null) return;
    for (const field of FIELDS) {
      const [mine, panel] = [gradeOf(vote, field), gradeOf(record, field)];
      if (mine === null || panel === null) continue;
      const counts = judge.withPanel[field];
      counts.n += 1;
      if (mine === panel) counts.same += 1;
      if (typeof mine === 'number' && typeof panel === 'number') counts.absDiff += Math.abs(mine - panel);
    }
  }

  /** The grade the agreement figures compare, as the votes show the prompt's mode. */
  private field(): PanelField | null {
    if (this.seen.has('verdict')) return 'verdict';
    if (this.seen.has('label')) return 'label';
    if (this.seen.has('pass') && (this.passFailShaped || !this.seen.has('score'))) return 'pass';
    return this.seen.has('score') ? 'score' : null;
  }

  /** The `panel` section, or undefined when no record had votes. */
  finish(aggregate?: PanelAggregate): PanelSummary | undefined {
    if (this.rows === 0) return undefined;
    const field = this.field();
    const size = this.judges.size;
    let all = 0;
    let fewer = 0;
    for (const [graded, rows] of this.decidedBy) {
      if (graded >= size) all += rows;
      else if (graded > 0) fewer += rows;
    }
    const alpha = field === null ? undefined : this.alpha.get(field)!;
    const table = alpha?.coincidences.table();
    return {
      judges: [...this.judges].map(([name, judge]) => judgeSummary(name, judge, field)),
      ...(aggregate !== undefined ? { aggregate } : {}),
      field,
      rows: this.rows,
      all_judges: all,
      fewer_judges: fewer,
      no_judge: this.decidedBy.get(0) ?? 0,
      alpha: {
        value: alpha ? alpha.coincidences.alpha() : null,
        level: field === null ? null : LEVEL[field],
        units: alpha?.units ?? 0,
        values: table?.n ?? 0,
      },
    };
  }
}

function alphaValue(grade: Grade): number | string | null {
  return typeof grade === 'boolean' ? (grade ? 'pass' : 'fail') : grade;
}

function judgeSummary(name: string, judge: JudgeState, field: PanelField | null): PanelJudge {
  const figures = judge.figures.finish({ status: 'complete', rows: judge.rows, requests: 0, retries: 0, rateLimited: 0, wallMs: 0, model: name, prompt: '' });
  const counts = field === null ? { n: 0, same: 0, absDiff: 0 } : judge.withPanel[field];
  return {
    judge: name,
    rows: judge.rows,
    graded: figures.graded,
    errors: figures.errors,
    mean: figures.mean,
    ci95: figures.ci95,
    pass_rate: figures.pass_rate,
    ...(figures.pass_rate_ci95 !== undefined ? { pass_rate_ci95: figures.pass_rate_ci95 } : {}),
    ...(figures.pairwise
      ? {
          pairwise: {
            a: figures.pairwise.a,
            b: figures.pairwise.b,
            tie: figures.pairwise.tie,
            ...(figures.pairwise.flip_rate != null ? { flip_rate: figures.pairwise.flip_rate } : {}),
          },
        }
      : {}),
    ...(figures.labels ? { labels: figures.labels } : {}),
    with_panel: {
      n: counts.n,
      exact: counts.n === 0 ? null : counts.same / counts.n,
      ...(field === 'score' ? { mean_abs_diff: counts.n === 0 ? null : counts.absDiff / counts.n } : {}),
    },
  };
}
