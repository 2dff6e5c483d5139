import * as z from 'zod';
import type { AnswerSpec } from '../answer-spec.js';
import { jsonCandidates, lastCapture } from '../text-answers.js';

/** Settings of a `score` judge. */
export interface ScoreModeSettings {
  scale: { min: number; max: number };
  /** A score at or above this passes; without it, `pass` stays null. */
  pass?: number;
}

/** `Score: 4`, `score = 4`, `**Score:** 4`, `Rating: [[4]]`, `[[4]]`. */
const SCORE_TEXT = /(?:\b(?:score|rating)\b\**\s*(?:[:=]|is)\s*\**\s*\[{0,2}|\[\[)\s*(-?\d+(?:\.\d+)?)/gi;

/** Asks for `{reasoning, score}` with the score an integer within the scale. */
export function scoreAnswerSpec(settings: ScoreModeSettings): AnswerSpec<{ reasoning: string; score: number }> {
  const { min, max } = settings.scale;
  const schema = z.object({
    reasoning: z.string(),
    score: z.number().int().min(min).max(max),
  });
  return {
    schemaName: 'verdict_score',
    schema,
    textInstruction:
      `Write your reasoning, then end with a line of the form "Score: N", ` +
      `where N is an integer from ${min} to ${max}.`,
    readTextAnswer(text) {
      const fromJson = jsonCandidates(text).find((candidate) => schema.safeParse(candidate).success);
      if (fromJson) return fromJson;
      const score = lastCapture(text, SCORE_TEXT);
      return score === undefined ? null : { reasoning: text.trim(), score: Number(score) };
    },
    toGrade(answer) {
      return {
        score: answer.score,
        pass: settings.pass === undefined ? null : answer.score >= settings.pass,
        verdict: null,
        label: null,
        criteria: null,
        reasoning: answer.reasoning,
      };
    },
  };
}
