import * as z from 'zod';
import { judgedBothWays, judgementsByRepeat, type Sample } from '../../results/record.js';
import { majority, type AnswerSpec, type Combined } from '../answer-spec.js';
import { lastCapture } from '../text-answers.js';

export const PAIRWISE_VERDICTS = ['A', 'B', 'tie'] as const;
export type PairwiseVerdict = (typeof PAIRWISE_VERDICTS)[number];

/**
 * `[[A]]`, `[[B]]`, `[[C]]` (MT-Bench's tie), `Verdict: tie`, `**Winner:** B`. Case matters for the
 * letters, so "Verdict: a better answer" is not read as A.
 */
const VERDICT_TEXT = /(?:\b(?:[Vv]erdict|VERDICT|[Ww]inner|WINNER|[Bb]etter|BETTER)\b\**\s*[:=]\s*\**\s*\[{0,2}|\[\[)\s*(A|B|C|[Tt]ie|TIE)\b/g;

/** The verdict as the dataset orders the pair: in the swapped order (BA), "A" meant the row's B. */
export function unswap(verdict: string | null, order: 'AB' | 'BA' | null): string | null {
  if (order !== 'BA' || verdict === null) return verdict;
  return verdict === 'A' ? 'B' : verdict === 'B' ? 'A' : verdict;
}

/** Asks which of two answers is better: `{reasoning, verdict: "A" | "B" | "tie"}`. */
export function pairwiseAnswerSpec(): AnswerSpec<{ reasoning: string; verdict: PairwiseVerdict }> {
  const schema = z.object({ reasoning: z.string(), verdict: z.enum(PAIRWISE_VERDICTS) });
  return {
    schemaName: 'verdict_pairwise',
    schema,
    textInstruction:
      'Write your reasoning, then end with a line that is exactly "[[A]]" if answer A is better, ' +
      '"[[B]]" if answer B is better, or "[[C]]" for a tie.',
    readTextAnswer(text) {
      const said = lastCapture(text, VERDICT_TEXT);
      if (said === undefined) return null;
      const verdict = said === 'A' || said === 'B' ? said : 'tie';
      return { reasoning: text.trim(), verdict };
    },
    toGrade(answer) {
      return { score: null, pass: null, verdict: answer.verdict, label: null, criteria: null, reasoning: answer.reasoning };
    },
    combine: combinePairwise,
  };
}

/** The most common verdict; when A and B split the top count, a tie (a split majority is no preference either). */
export function majorityVerdict(verdicts: readonly string[]): string {
  const modal = majority(verdicts);
  const contested = verdicts.filter((v) => v !== modal.value && v !== 'tie').length === modal.count && modal.value !== 'tie';
  return contested ? 'tie' : modal.value;
}

/**
 * Each repeat's two orders agree, or their verdict is a tie (position bias is not a preference);
 * the row's verdict is the majority over repeats. Samples arrive with verdicts already unswapped.
 */
function combinePairwise(samples: Sample[]): Combined {
  let flips = 0;
  let swappedRepeats = 0;
  const perRepeat: string[] = [];
  for (const judgement of judgementsByRepeat(samples)) {
    if (judgedBothWays(judgement)) {
      swappedRepeats += 1;
      const [ab, ba] = [judgement.AB ?? 'tie', judgement.BA ?? 'tie'];
      if (ab !== ba) flips += 1;
      perRepeat.push(ab === ba ? ab : 'tie');
    } else {
      perRepeat.push((judgement.AB ?? judgement.BA) ?? 'tie');
    }
  }
  const verdict = majorityVerdict(perRepeat);
  const sampleAgreement = majority(samples.map((s) => s.verdict)).count / samples.length;
  return {
    grade: {
      score: null,
      pass: null,
      verdict,
      label: null,
      criteria: null,
      reasoning: samples.find((s) => s.verdict === verdict)?.reasoning ?? samples[0]?.reasoning ?? null,
    },
    agreement: sampleAgreement,
    flipped: swappedRepeats === 0 ? null : flips > 0,
  };
}
