import * as z from 'zod';
import type { Sample } from '../../results/record.js';
import { majority, meanOf, type AnswerSpec, type Combined, type Grade } from '../answer-spec.js';
import { lastCapture } from '../text-answers.js';

/** Settings of a `score` judge. */
export interface ScoreModeSettings {
  scale: { min: number; max: number };
  /** A score at or above this passes; without it, `pass` stays null. */
  pass?: number;
  /** One score per criterion in one answer; the row's score is their mean. */
  criteria?: readonly string[];
}

/** `Score: 4`, `score = 4`, `**Score:** 4`, `Rating: [[4]]`, `[[4]]`. */
const SCORE_TEXT = /(?:\b(?:score|rating)\b\**\s*(?:[:=]|is)\s*\**\s*\[{0,2}|\[\[)\s*(-?\d+(?:\.\d+)?)/gi;

type ScoreAnswer = { reasoning: string; score: number };
type CriteriaAnswer = { reasoning: string; criteria: Record<string, number> };

/** Asks for `{reasoning, score}` with the score an integer within the scale, or one score per criterion. */
export function scoreAnswerSpec(settings: ScoreModeSettings): AnswerSpec<ScoreAnswer> | AnswerSpec<CriteriaAnswer> {
  return settings.criteria ? criteriaSpec(settings, settings.criteria) : singleScoreSpec(settings);
}

function passOf(settings: ScoreModeSettings, score: number | null): boolean | null {
  return settings.pass === undefined || score === null ? null : score >= settings.pass;
}

function singleScoreSpec(settings: ScoreModeSettings): AnswerSpec<ScoreAnswer> {
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
      const score = lastCapture(text, SCORE_TEXT);
      return score === undefined ? null : { reasoning: text.trim(), score: Number(score) };
    },
    toGrade(answer) {
      return { score: answer.score, pass: passOf(settings, answer.score), verdict: null, label: null, criteria: null, reasoning: answer.reasoning };
    },
    combine: (samples) => combineScores(settings, samples),
  };
}

function criteriaSpec(settings: ScoreModeSettings, criteria: readonly string[]): AnswerSpec<CriteriaAnswer> {
  const { min, max } = settings.scale;
  const one = z.number().int().min(min).max(max);
  const schema = z.object({
    reasoning: z.string(),
    criteria: z.strictObject(Object.fromEntries(criteria.map((name) => [name, one]))) as z.ZodType<Record<string, number>>,
  });
  // `coherence: 4`, `**Coherence**: 4`, `coherence = [[4]]`: one line per criterion, the last one wins.
  const patterns = criteria.map((name) => ({
    name,
    pattern: new RegExp(`\\b${name.replace(/[-]/g, '\\-')}\\b\\**\\s*[:=]\\s*\\**\\s*\\[{0,2}\\s*(-?\\d+(?:\\.\\d+)?)`, 'gi'),
  }));
  return {
    schemaName: 'verdict_criteria',
    schema,
    textInstruction:
      `Write your reasoning, then end with one line per criterion of the form "<criterion>: N", ` +
      `where N is an integer from ${min} to ${max}, for: ${criteria.join(', ')}.`,
    readTextAnswer(text) {
      const scores: Record<string, number> = {};
      for (const { name, pattern } of patterns) {
        const value = lastCapture(text, pattern);
        if (value === undefined) return null;
        scores[name] = Number(value);
      }
      return { reasoning: text.trim(), criteria: scores };
    },
    toGrade(answer) {
      // Ordered as the front matter lists them, whatever order the judge wrote them in.
      const ordered = Object.fromEntries(criteria.map((name) => [name, answer.criteria[name]!]));
      const score = meanOf(Object.values(ordered));
      return { score, pass: passOf(settings, score), verdict: null, label: null, criteria: ordered, reasoning: answer.reasoning };
    },
    combine: (samples) => combineScores(settings, samples),
  };
}

/** Mean score (and mean per criterion); agreement is the share of samples giving the modal score. */
function combineScores(settings: ScoreModeSettings, samples: Sample[]): Combined {
  const score = meanOf(samples.map((s) => s.score));
  let criteria: Record<string, number> | null = null;
  if (settings.criteria) {
    criteria = Object.fromEntries(settings.criteria.map((name) => [name, meanOf(samples.map((s) => s.criteria?.[name] ?? null)) ?? 0]));
  }
  const modal = majority(samples.map((s) => s.score));
  const grade: Grade = {
    score,
    pass: passOf(settings, score),
    verdict: null,
    label: null,
    criteria,
    reasoning: samples.find((s) => s.score === modal.value)?.reasoning ?? samples[0]?.reasoning ?? null,
  };
  return { grade, agreement: modal.count / samples.length, flipped: null };
}
