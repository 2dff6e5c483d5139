import { InputError, type InputLocation } from '../errors.js';
import { judgedBothWays, judgementsByRepeat, type ResultRecord } from '../results/record.js';
import type { AgreementByOrder, AgreementSkipped } from './agreement-schema.js';
import { judgeFieldName, judgeValueOf, type JudgeField } from './judge-field.js';
import type { LabelKind, LabelledPairs, LabelValue } from './encode-pairs.js';
import { isMissing, readCategoryLabel, readNumberLabel, readPairwiseLabel, readPassLabel, valueAtPath } from './labels.js';

const KIND_OF: Record<JudgeField['kind'], LabelKind> = { criterion: 'numeric', score: 'numeric', verdict: 'pairwise', pass: 'pass', label: 'category' };

const READERS: Record<LabelKind, { read: (value: unknown) => LabelValue | undefined; expected: string }> = {
  numeric: { read: readNumberLabel, expected: 'a number' },
  pairwise: { read: readPairwiseLabel, expected: 'a pairwise label (A, B or tie; 1, 2 or 0; model_a, model_b or tie; see docs/stats.md)' },
  pass: { read: readPassLabel, expected: 'pass or fail (true/false, pass/fail, yes/no, 1/0)' },
  category: { read: readCategoryLabel, expected: 'a label' },
};

/**
 * Pairs each graded record's judge value with the human label in its row, counting the rows left
 * out and why. Holds only the paired values, not the records.
 */
export class LabelCollector {
  private readonly kind: LabelKind;
  private readonly human: LabelValue[] = [];
  private readonly judge: LabelValue[] = [];
  private readonly groupKeys: string[] = [];
  private readonly ids: string[] = [];
  private readonly skipped: Required<AgreementSkipped>;
  private readonly orders = { judgements: 0, abCorrect: 0, baCorrect: 0, consistent: 0 };

  constructor(
    private readonly labelField: string,
    private readonly field: JudgeField,
    private readonly groupBy?: string,
  ) {
    this.kind = KIND_OF[field.kind];
    this.skipped = { errors: 0, no_label: 0, no_judge_value: 0, no_group: 0 };
  }

  /** Adds one record; a label present but unreadable is an input error naming the record's place and the field. */
  add(record: ResultRecord, location: InputLocation): void {
    if (record.error !== null) {
      this.skipped.errors += 1;
      return;
    }
    const rawLabel = valueAtPath(record.row, this.labelField);
    if (isMissing(rawLabel)) {
      this.skipped.no_label += 1;
      return;
    }
    const rawJudge = judgeValueOf(record, this.field);
    if (rawJudge === null) {
      this.skipped.no_judge_value += 1;
      return;
    }
    let groupKey: string | undefined;
    if (this.groupBy !== undefined) {
      const rawGroup = valueAtPath(record.row, this.groupBy);
      if (isMissing(rawGroup)) {
        this.skipped.no_group += 1;
        return;
      }
      groupKey = typeof rawGroup === 'string' ? rawGroup : JSON.stringify(rawGroup);
    }
    const reader = READERS[this.kind];
    const human = reader.read(rawLabel);
    if (human === undefined) {
      throw new InputError(
        { ...location, field: this.labelField },
        `cannot read ${JSON.stringify(rawLabel)} as ${reader.expected}, to compare with the judge's ${judgeFieldName(this.field)}`,
        this.field.kind === 'verdict' || this.field.kind === 'pass' ? undefined : 'pick another judge value with --criterion, or check --label-field',
      );
    }
    const judge = reader.read(rawJudge);
    if (judge === undefined) {
      throw new InputError({ ...location, field: judgeFieldName(this.field) }, `the judge's ${JSON.stringify(rawJudge)} is not ${reader.expected}`);
    }
    this.human.push(human);
    this.judge.push(judge);
    this.ids.push(record.id);
    if (this.kind === 'pairwise') this.addOrders(record, human);
    if (groupKey !== undefined) this.groupKeys.push(groupKey);
  }

  /** Each repeat judged both ways: how each order's verdict compares with the label, and with the other order. */
  private addOrders(record: ResultRecord, human: LabelValue): void {
    for (const { AB, BA } of judgementsByRepeat(record.samples ?? []).filter(judgedBothWays)) {
      this.orders.judgements += 1;
      if (readPairwiseLabel(AB) === human) this.orders.abCorrect += 1;
      if (readPairwiseLabel(BA) === human) this.orders.baCorrect += 1;
      if (AB === BA) this.orders.consistent += 1;
    }
  }

  /** Agreement one order at a time, when records kept both orders' samples; else undefined. */
  byOrder(): AgreementByOrder | undefined {
    const { judgements, abCorrect, baCorrect, consistent } = this.orders;
    if (judgements === 0) return undefined;
    const ab = abCorrect / judgements;
    const ba = baCorrect / judgements;
    return { n: judgements, ab_accuracy: ab, ba_accuracy: ba, mean_accuracy: (ab + ba) / 2, positional_agreement: consistent / judgements };
  }

  /**
   * The pairs collected, for computeAgreement, in id order: records are written in completion
   * order, and the bootstrap draws by position, so without a fixed order two runs of the same
   * judge over the same rows would get different intervals from the same seed.
   */
  pairs(): LabelledPairs {
    const { no_group, ...skipped } = this.skipped;
    const order = this.ids.map((_, i) => i).sort((a, b) => (this.ids[a]! < this.ids[b]! ? -1 : this.ids[a]! > this.ids[b]! ? 1 : a - b));
    const inOrder = <T>(values: T[]): T[] => order.map((i) => values[i]!);
    return {
      labelField: this.labelField,
      judgeField: judgeFieldName(this.field),
      kind: this.kind,
      human: inOrder(this.human),
      judge: inOrder(this.judge),
      ...(this.groupBy !== undefined ? { groupBy: { field: this.groupBy, keys: inOrder(this.groupKeys) } } : {}),
      skipped: this.groupBy !== undefined ? { ...skipped, no_group } : skipped,
    };
  }
}
