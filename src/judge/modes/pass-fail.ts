import * as z from 'zod';
import { majority, type AnswerSpec } from '../answer-spec.js';
import { lastCapture } from '../text-answers.js';

/** `Verdict: PASS`, `Result: fail`, `pass: true`, `[[PASS]]`. */
const VERDICT_TEXT = /(?:\b(?:verdict|result|grade|pass)\b\**\s*[:=]\s*\**\s*\[{0,2}|\[\[)\s*(pass|fail|true|false|yes|no)\b/gi;
const PASSING = new Set(['pass', 'true', 'yes']);

/** Asks for `{reasoning, pass}`; a pass scores 1 and a fail 0, so the mean is the pass rate. */
export function passFailAnswerSpec(): AnswerSpec<{ reasoning: string; pass: boolean }> {
  const schema = z.object({ reasoning: z.string(), pass: z.boolean() });
  return {
    schemaName: 'verdict_pass_fail',
    schema,
    textInstruction: 'Write your reasoning, then end with a line that is exactly "Verdict: PASS" or "Verdict: FAIL".',
    readTextAnswer(text) {
      const verdict = lastCapture(text, VERDICT_TEXT);
      return verdict === undefined ? null : { reasoning: text.trim(), pass: PASSING.has(verdict.toLowerCase()) };
    },
    toGrade(answer) {
      return {
        score: answer.pass ? 1 : 0,
        pass: answer.pass,
        verdict: null,
        label: null,
        criteria: null,
        reasoning: answer.reasoning,
      };
    },
    combine(samples) {
      // The score is the share of passing samples; a pass needs a strict majority, so a split is a fail.
      const passes = samples.filter((s) => s.pass === true).length;
      const pass = passes * 2 > samples.length;
      const modal = majority(samples.map((s) => s.pass));
      return {
        grade: {
          score: passes / samples.length,
          pass,
          verdict: null,
          label: null,
          criteria: null,
          reasoning: samples.find((s) => s.pass === pass)?.reasoning ?? samples[0]?.reasoning ?? null,
        },
        agreement: modal.count / samples.length,
        flipped: null,
      };
    },
  };
}
