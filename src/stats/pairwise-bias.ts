import { judgesBehind, type ResultRecord } from '../results/record.js';
import { answerLength, DEFAULT_PAIR_PATHS, valueAtPath, type PairPaths } from './pair-texts.js';

/**
 * Two biases of a pairwise judge, counted over its decided judgements: how often the longer answer
 * won, and how often the answer shown first won. A judgement is one answer of the judge in one
 * order (one repeat, AB or BA); it is decided when it says A or B, not tie. Counting each order
 * separately is what makes the first-shown share mean something: a row judged both ways with the
 * same winner counts one first-shown win and one loss, a row whose verdict followed the position
 * counts two wins. With no bias either share is about 50% (docs/panels.md).
 */
export interface PairwiseBias {
  /** Share of decided judgements of answers of different lengths won by the longer one; null with none. */
  longer_wins: number | null;
  longer_wins_n: number;
  /** Share of decided judgements won by the answer shown first; null with none. */
  first_shown_wins: number | null;
  first_shown_wins_n: number;
}

/** Counts the biases of pairwise records in O(1) memory. `pair` says where each row holds its two answers. */
export class PairwiseBiasCounter {
  private longer = 0;
  private lengthDecided = 0;
  private firstShown = 0;
  private decided = 0;

  constructor(private readonly pair: PairPaths = DEFAULT_PAIR_PATHS) {}

  /** Counts a graded record's judgements (a record with an error or no verdict has none). */
  add(record: ResultRecord): void {
    if (record.error !== null || record.verdict === null) return;
    const lengthA = answerLength(valueAtPath(record.row, this.pair.a));
    const lengthB = answerLength(valueAtPath(record.row, this.pair.b));
    // The longer answer in the dataset's terms, or null when the lengths are equal or unknown.
    const longer = lengthA === null || lengthB === null || lengthA === lengthB ? null : lengthA > lengthB ? 'A' : 'B';
    for (const { order, verdict } of judgementsOf(record)) {
      if (verdict !== 'A' && verdict !== 'B') continue;
      this.decided++;
      // Verdicts are unswapped: in the BA order the row's B was shown first.
      if ((order === 'AB') === (verdict === 'A')) this.firstShown++;
      if (longer !== null) {
        this.lengthDecided++;
        if (verdict === longer) this.longer++;
      }
    }
  }

  /** The shares counted so far. */
  figures(): PairwiseBias {
    return {
      longer_wins: this.lengthDecided === 0 ? null : this.longer / this.lengthDecided,
      longer_wins_n: this.lengthDecided,
      first_shown_wins: this.decided === 0 ? null : this.firstShown / this.decided,
      first_shown_wins_n: this.decided,
    };
  }
}

/**
 * A record's judgements with the order each was shown in: each judge's samples, or its verdict when
 * it kept none (shown as the dataset has it). A panel's row pools the judges that answered.
 */
function judgementsOf(record: ResultRecord): { order: 'AB' | 'BA'; verdict: string | null }[] {
  return judgesBehind(record).flatMap(({ samples, verdict }) => {
    const shown = samples.filter((sample) => sample.order !== null);
    if (shown.length === 0) return [{ order: 'AB' as const, verdict }];
    return shown.map((sample) => ({ order: sample.order!, verdict: sample.verdict }));
  });
}
