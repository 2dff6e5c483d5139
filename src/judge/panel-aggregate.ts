import type { JudgeMode } from '../prompt/front-matter.js';
import type { PanelAggregate, Sample } from '../results/record.js';
import { majority, type AnswerSpec, type Combined, type Grade } from './answer-spec.js';
import { majorityVerdict } from './modes/pairwise.js';

/** What a panel's fold needs to know of the prompt: its mode, its answer spec, the pass mark, the criteria. */
export interface PanelRules {
  mode: JudgeMode;
  spec: AnswerSpec;
  /** A score at or above this passes (score prompts); without it, pass stays null. */
  pass?: number;
  criteria?: readonly string[];
}

/**
 * Folds the grades of the judges that answered into the row's grade. The mode's own rules for
 * --repeat decide a majority and its ties (a pass needs a strict majority, a split pair is a tie,
 * the first label to reach the top count wins); a score prompt can also take the mean (its
 * --repeat rule) or the median. `agreement` is the share of judges that gave the modal answer.
 */
export function aggregateVotes(grades: readonly Grade[], how: PanelAggregate, rules: PanelRules): Combined {
  if (grades.length === 0) throw new Error('a panel row with no answer to aggregate');
  if (grades.length === 1) return { grade: grades[0]!, agreement: 1, flipped: null };
  // Votes are read as samples of one row: the same folds as --repeat, one sample per judge.
  const samples: Sample[] = grades.map((grade, i) => ({ repeat: i + 1, order: null, ...grade }));
  if (rules.mode === 'pairwise') {
    const verdicts = grades.map((grade) => grade.verdict ?? 'tie');
    const verdict = majorityVerdict(verdicts);
    const grade = { ...NO_GRADE, verdict, reasoning: grades.find((g) => g.verdict === verdict)?.reasoning ?? null };
    return { grade, agreement: majority(verdicts).count / grades.length, flipped: null };
  }
  if (rules.mode !== 'score' || how === 'mean') return { ...rules.spec.combine(samples), flipped: null };
  return foldScores(grades, how, rules);
}

const NO_GRADE: Grade = { score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null };

/** A score prompt's median, or its majority: the most common score, and the median when two or more scores share the top count. */
function foldScores(grades: readonly Grade[], how: 'median' | 'majority', rules: PanelRules): Combined {
  const fold = (values: number[]) => (how === 'median' ? median(values) : modalOrMedian(values));
  const score = fold(grades.flatMap((g) => (g.score === null ? [] : [g.score])));
  const criteria = rules.criteria
    ? Object.fromEntries(rules.criteria.map((name) => [name, fold(grades.flatMap((g) => (g.criteria?.[name] === undefined ? [] : [g.criteria[name]!])))!]))
    : null;
  const modal = majority(grades.map((g) => g.score));
  // The reasoning of a judge whose score is the panel's, else of the one closest to it.
  const closest = score === null ? grades[0] : [...grades].sort((a, b) => Math.abs((a.score ?? Infinity) - score) - Math.abs((b.score ?? Infinity) - score))[0];
  const grade: Grade = {
    ...NO_GRADE,
    score,
    pass: rules.pass === undefined || score === null ? null : score >= rules.pass,
    criteria,
    reasoning: closest?.reasoning ?? null,
  };
  return { grade, agreement: modal.count / grades.length, flipped: null };
}

/** The middle value; the mean of the two middle ones for an even count. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The one most common value, or the median when several share the top count (no order of judges decides). */
function modalOrMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const modal = [...counts].filter(([, count]) => count === top);
  return modal.length === 1 ? modal[0]![0] : median(values);
}
