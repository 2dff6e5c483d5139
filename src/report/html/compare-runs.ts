import { integer } from '../format.js';
import { meanConfidenceInterval, RunningMoments } from '../../stats/intervals.js';
import { meanFigure } from './figures.js';
import type { ComparisonView, Figure, RowView, RunView } from './report-data.js';

/** B's score minus A's, when both rows have one. */
export function scoreDifference(a: RowView, b: RowView): number | null {
  return a.score === null || b.score === null ? null : b.score - a.score;
}

// Lower ranks come first: a row that newly ended in error, then rows by their difference, then rows
// where no difference can be taken.
function rank(a: RowView, b: RowView): number {
  if (b.error !== null && a.error === null) return 0;
  return scoreDifference(a, b) === null ? 2 : 1;
}

/**
 * Joins two runs on row id: the pairs most changed for the worse first (a row that newly failed
 * with an error, then the largest drop in score), and the paired figures: the mean difference
 * B − A with its 95% interval, how many rows got better or worse, pass verdicts that changed.
 */
export function compareRuns(runA: RunView, runB: RunView): ComparisonView {
  const indexInB = new Map(runB.rows.map((row, index) => [row.id, index]));
  const pairs: [number, number][] = [];
  runA.rows.forEach((row, indexA) => {
    const indexB = indexInB.get(row.id);
    if (indexB !== undefined) pairs.push([indexA, indexB]);
  });
  const rowsOf = ([indexA, indexB]: [number, number]): [RowView, RowView] => [runA.rows[indexA]!, runB.rows[indexB]!];
  pairs.sort((left, right) => {
    const [a1, b1] = rowsOf(left);
    const [a2, b2] = rowsOf(right);
    return (
      rank(a1, b1) - rank(a2, b2) ||
      (scoreDifference(a1, b1) ?? 0) - (scoreDifference(a2, b2) ?? 0) ||
      (a1.id < a2.id ? -1 : a1.id > a2.id ? 1 : 0)
    );
  });

  const differences = new RunningMoments();
  const counts = { better: 0, worse: 0, same: 0, passToFail: 0, failToPass: 0, newErrors: 0, fixedErrors: 0 };
  for (const pair of pairs) {
    const [a, b] = rowsOf(pair);
    const difference = scoreDifference(a, b);
    if (difference !== null) {
      differences.push(difference);
      if (difference > 0) counts.better++;
      else if (difference < 0) counts.worse++;
      else counts.same++;
    }
    if (a.pass === true && b.pass === false) counts.passToFail++;
    if (a.pass === false && b.pass === true) counts.failToPass++;
    if (a.error === null && b.error !== null) counts.newErrors++;
    if (a.error !== null && b.error === null) counts.fixedErrors++;
  }

  const figures: Figure[] = [
    { key: 'paired', label: 'rows in both', value: integer(pairs.length), detail: `${integer(runA.rows.length - pairs.length)} only in A · ${integer(runB.rows.length - pairs.length)} only in B` },
  ];
  if (differences.mean !== null) {
    const figure = meanFigure('difference', 'mean difference B − A', differences.mean, meanConfidenceInterval(differences));
    figures.push({ ...figure, value: `${differences.mean > 0 ? '+' : ''}${figure.value}`, detail: `${figure.detail ? `${figure.detail} · ` : ''}over ${integer(differences.count)} rows scored in both` });
    figures.push({ key: 'changed', label: 'better · worse · same', value: `${integer(counts.better)} · ${integer(counts.worse)} · ${integer(counts.same)}` });
  }
  if (counts.passToFail + counts.failToPass > 0) {
    figures.push({ key: 'pass_changes', label: 'pass → fail · fail → pass', value: `${integer(counts.passToFail)} · ${integer(counts.failToPass)}` });
  }
  if (counts.newErrors + counts.fixedErrors > 0) {
    figures.push({ key: 'error_changes', label: 'new errors · errors gone', value: `${integer(counts.newErrors)} · ${integer(counts.fixedErrors)}` });
  }
  return { pairs, only_a: runA.rows.length - pairs.length, only_b: runB.rows.length - pairs.length, figures };
}
