import type { JudgePrompt } from '../../prompt/load.js';
import type { AnswerSpec } from '../answer-spec.js';
import { passFailAnswerSpec } from './pass-fail.js';
import { scoreAnswerSpec } from './score.js';

/** The answer spec for a loaded prompt's mode. */
export function answerSpecFor(prompt: JudgePrompt): AnswerSpec {
  const { settings } = prompt;
  switch (settings.mode) {
    case 'score':
      return scoreAnswerSpec({ scale: settings.scale, pass: settings.pass }) as AnswerSpec;
    case 'pass-fail':
      return passFailAnswerSpec() as AnswerSpec;
    default:
      // loadPrompt refuses unsupported modes, so reaching this is a bug, not bad input.
      throw new Error(`no answer spec for mode "${settings.mode}"`);
  }
}
