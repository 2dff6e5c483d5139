import * as z from 'zod';
import { majority, meanOf, type AnswerSpec } from '../answer-spec.js';

/** Settings of a `classify` judge: the labels it may answer, each with the score it stands for. */
export interface ClassifyModeSettings {
  choices: Record<string, number>;
  /** A label whose score is at or above this passes; without it, `pass` stays null. */
  pass?: number;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
}

/** Asks for one label out of `choices` (as OpenAI Evals' model-graded specs do); the score is the label's. */
export function classifyAnswerSpec(settings: ClassifyModeSettings): AnswerSpec<{ reasoning: string; label: string }> {
  const labels = Object.keys(settings.choices);
  const schema = z.object({ reasoning: z.string(), label: z.enum(labels as [string, ...string[]]) });
  // Longest first, so that a label that begins another ("Yes" / "Yes-ish") is not cut short.
  const alternatives = [...labels].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|');
  const labelText = new RegExp(`(?:\\b(?:label|answer|verdict|choice|category)\\b\\**\\s*[:=]\\s*\\**\\s*\\[{0,2}|\\[\\[)\\s*(${alternatives})(?![A-Za-z0-9_-])`, 'gi');
  const canonical = new Map(labels.map((label) => [label.toLowerCase(), label]));
  const scoreOf = (label: string) => settings.choices[label]!;
  return {
    schemaName: 'verdict_classify',
    schema,
    textInstruction: `Write your reasoning, then end with a line of the form "Label: X", where X is one of: ${labels.join(', ')}.`,
    readTextAnswer(text) {
      let said: string | undefined;
      for (const match of text.matchAll(labelText)) said = match[1];
      // A case-insensitive match maps back to the label as the prompt spells it.
      const label = said === undefined ? undefined : canonical.get(said.toLowerCase());
      return label === undefined ? null : { reasoning: text.trim(), label };
    },
    toGrade(answer) {
      const score = scoreOf(answer.label);
      return {
        score,
        pass: settings.pass === undefined ? null : score >= settings.pass,
        verdict: null,
        label: answer.label,
        criteria: null,
        reasoning: answer.reasoning,
      };
    },
    combine(samples) {
      const modal = majority(samples.map((s) => s.label));
      const score = meanOf(samples.map((s) => s.score));
      return {
        grade: {
          score,
          pass: settings.pass === undefined || score === null ? null : score >= settings.pass,
          verdict: null,
          label: modal.value,
          criteria: null,
          reasoning: samples.find((s) => s.label === modal.value)?.reasoning ?? null,
        },
        agreement: modal.count / samples.length,
        flipped: null,
      };
    },
  };
}
