import type { JudgePrompt } from '../../prompt/load.js';
import type { AnswerSpec } from '../answer-spec.js';
import { classifyAnswerSpec } from './classify.js';
import { pairwiseAnswerSpec } from './pairwise.js';
import { passFailAnswerSpec } from './pass-fail.js';
import { scoreAnswerSpec } from './score.js';

/** The answer spec for a loaded prompt's mode. */
export function answerSpecFor(prompt: JudgePrompt): AnswerSpec {
  const { settings } = prompt;
  switch (settings.mode) {
    case 'score':
      return scoreAnswerSpec({ scale: settings.scale, pass: settings.pass, criteria: settings.criteria }) as AnswerSpec;
    case 'pass-fail':
      return passFailAnswerSpec() as AnswerSpec;
    case 'pairwise':
      return pairwiseAnswerSpec() as AnswerSpec;
    case 'classify':
      // The front matter refuses classify without choices, so they are here.
      return classifyAnswerSpec({ choices: settings.choices ?? {}, pass: settings.pass }) as AnswerSpec;
  }
}
