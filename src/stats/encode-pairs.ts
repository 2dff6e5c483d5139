import type { AgreementScale, AgreementSkipped } from './agreement-schema.js';
import type { PairVerdict } from './labels.js';

/** What the labels and judge values are: numbers (scores), pairwise verdicts, pass/fail, or categories. */
export type LabelKind = 'numeric' | 'pairwise' | 'pass' | 'category';

/** One compared value: a score, a verdict, a pass, or a classify label. */
export type LabelValue = number | PairVerdict | boolean | string;

/** Human labels and the judge's values, paired by row, as `verdict stats` collected them. */
export interface LabelledPairs {
  labelField: string;
  judgeField: string;
  kind: LabelKind;
  human: LabelValue[];
  judge: LabelValue[];
  /** With --group-by: the field, and each pair's group. */
  groupBy?: { field: string; keys: string[] };
  skipped: AgreementSkipped;
}

// An ordinal scale wider than this (a 0-1000 score) is better served by correlations than by a
// kappa over a million-cell matrix.
const MAX_ORDINAL_POINTS = 101;

/** The categories of pairwise verdicts, in confusion-matrix order. */
export const PAIRWISE_CATEGORIES: readonly PairVerdict[] = ['A', 'B', 'tie'];
// Pairwise verdicts as an ordered value (how much A is preferred), for the correlations.
const PAIRWISE_VALUE: Record<PairVerdict, number> = { A: 1, tie: 0.5, B: 0 };

/** The pairs encoded for the figures: category indices where there are categories, numbers where values are ordered. */
export interface Encoded {
  scale: AgreementScale;
  categories: string[] | null;
  humanCodes: number[];
  judgeCodes: number[];
  humanValues: number[] | null;
  judgeValues: number[] | null;
  notes: string[];
}

/** Decides the scale of the pairs and encodes them for it, noting the figures that cannot apply. */
export function encode(pairs: LabelledPairs): Encoded {
  const { human, judge } = pairs;
  const notes: string[] = [];
  const codesBy = (categories: readonly string[], key: (value: LabelValue) => string) => {
    const index = new Map(categories.map((category, i) => [category, i]));
    return { humanCodes: human.map((v) => index.get(key(v))!), judgeCodes: judge.map((v) => index.get(key(v))!) };
  };
  switch (pairs.kind) {
    case 'pairwise': {
      const values = (side: LabelValue[]) => side.map((v) => PAIRWISE_VALUE[v as PairVerdict]);
      return { scale: 'pairwise', categories: [...PAIRWISE_CATEGORIES], ...codesBy(PAIRWISE_CATEGORIES, String), humanValues: values(human), judgeValues: values(judge), notes };
    }
    case 'pass': {
      const categories = ['fail', 'pass'];
      const values = (side: LabelValue[]) => side.map((v) => (v ? 1 : 0));
      return { scale: 'binary', categories, ...codesBy(categories, (v) => (v ? 'pass' : 'fail')), humanValues: values(human), judgeValues: values(judge), notes };
    }
    case 'category': {
      const categories = [...new Set([...human, ...judge].map(String))].sort();
      notes.push('correlations need ordered values, and classify labels are categories');
      return { scale: 'nominal', categories, ...codesBy(categories, String), humanValues: null, judgeValues: null, notes };
    }
    case 'numeric': {
      const humanValues = human as number[];
      const judgeValues = judge as number[];
      const fraction = (side: number[]) => side.find((v) => !Number.isInteger(v));
      const humanFraction = fraction(humanValues);
      const judgeFraction = fraction(judgeValues);
      if (humanFraction !== undefined || judgeFraction !== undefined) {
        const which = humanFraction !== undefined ? `the human labels are not (${humanFraction})` : `the judge's values are not (${judgeFraction})`;
        notes.push(`accuracy and kappa need whole-number values on both sides, and ${which}: correlations only`);
        return { scale: 'continuous', categories: null, humanCodes: [], judgeCodes: [], humanValues, judgeValues, notes };
      }
      const all = [...humanValues, ...judgeValues];
      // A loop, not Math.min(...all), which overflows the stack on a large file.
      const low = all.reduce((least, v) => Math.min(least, v), Infinity);
      const high = all.reduce((most, v) => Math.max(most, v), -Infinity);
      const points = all.length === 0 ? 0 : high - low + 1;
      if (points > MAX_ORDINAL_POINTS) {
        notes.push(`accuracy and kappa are left out: the values span ${points} points, more than ${MAX_ORDINAL_POINTS}`);
        return { scale: 'continuous', categories: null, humanCodes: [], judgeCodes: [], humanValues, judgeValues, notes };
      }
      // Every point of the scale between the lowest and highest value seen, so that a category's
      // index distance is its value distance, which quadratic weights square.
      const categories = Array.from({ length: points }, (_, i) => String(low + i));
      return {
        scale: 'ordinal',
        categories,
        humanCodes: humanValues.map((v) => v - low),
        judgeCodes: judgeValues.map((v) => v - low),
        humanValues,
        judgeValues,
        notes,
      };
    }
  }
}
