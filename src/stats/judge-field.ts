import { UsageError } from '../errors.js';
import type { ResultRecord } from '../results/record.js';

/** The judge value a human label is compared with. */
export type JudgeField = { kind: 'criterion'; name: string } | { kind: 'verdict' | 'label' | 'pass' | 'score' };

/** The name of a judge field as output shows it: "score", "verdict", "criteria.coherence". */
export function judgeFieldName(field: JudgeField): string {
  return field.kind === 'criterion' ? `criteria.${field.name}` : field.kind;
}

/** The record's value for a judge field, or null when it has none. */
export function judgeValueOf(record: ResultRecord, field: JudgeField): number | string | boolean | null {
  switch (field.kind) {
    case 'criterion':
      return record.criteria?.[field.name] ?? null;
    case 'verdict':
      return record.verdict;
    case 'label':
      return record.label;
    case 'pass':
      return record.pass;
    case 'score':
      return record.score;
  }
}

/**
 * What the graded records of the input hold, gathered while they are read, to decide which judge
 * value a label is compared with. Records do not name their prompt's mode, so it is inferred.
 */
export class JudgeEvidence {
  private verdicts = 0;
  private labels = 0;
  private scores = 0;
  private passes = 0;
  // A pass-fail prompt scores a pass 1 and a fail 0; a score prompt's pass is a threshold on a wider scale.
  private passFailShaped = true;
  readonly criteria = new Set<string>();

  /** Counts one record; errored records hold no judge value and are ignored. */
  add(record: ResultRecord): void {
    if (record.error !== null) return;
    if (record.verdict !== null) this.verdicts += 1;
    if (record.label !== null) this.labels += 1;
    if (record.score !== null) this.scores += 1;
    if (record.pass !== null) this.passes += 1;
    if (record.score !== null && record.score !== (record.pass === null ? null : record.pass ? 1 : 0)) this.passFailShaped = false;
    for (const name of Object.keys(record.criteria ?? {})) this.criteria.add(name);
  }

  /**
   * The judge value to compare with `labelField`: the criterion given, else the criterion named like
   * the label field's last segment (label "coherence", criterion "coherence"), else the pairwise
   * verdict, the classify label, the pass of a pass-fail prompt, or the score.
   */
  choose(labelField: string, criterion?: string): JudgeField {
    const criteria = [...this.criteria].sort();
    if (criterion !== undefined) {
      if (this.criteria.has(criterion)) return { kind: 'criterion', name: criterion };
      throw new UsageError(
        `--criterion ${criterion}: no graded record scores a criterion "${criterion}"`,
        criteria.length > 0 ? `the records' criteria: ${criteria.join(', ')}` : 'the records have no criteria',
      );
    }
    const lastSegment = labelField.split('.').at(-1) ?? labelField;
    if (this.criteria.has(lastSegment)) return { kind: 'criterion', name: lastSegment };
    if (this.verdicts > 0) return { kind: 'verdict' };
    if (this.labels > 0) return { kind: 'label' };
    if (this.passes > 0 && this.passFailShaped) return { kind: 'pass' };
    if (this.scores > 0) return { kind: 'score' };
    throw new UsageError('no graded record has a score, verdict, label or pass to compare with the labels');
  }
}
