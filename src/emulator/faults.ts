import { seededRandom } from './random.js';
import type { FaultRule } from './types.js';

/** Decides which fault, if any, a request gets. Holds each rule's count of faults given. */
export interface FaultPicker {
  /** The first rule that fires for this prompt text, counting it; undefined when none does. */
  pick(promptText: string): FaultRule | undefined;
}

/**
 * Builds a picker over `rules`. A rule fires when its `match` is in the text, its `count` is not
 * used up and its `rate` draw succeeds; a rule that does not fire leaves the request to the next.
 */
export function createFaultPicker(rules: readonly FaultRule[], seed: number): FaultPicker {
  const random = seededRandom(seed);
  const given = rules.map(() => 0);
  return {
    pick(promptText) {
      for (const [index, rule] of rules.entries()) {
        if (rule.match !== undefined && !promptText.includes(rule.match)) continue;
        if (rule.count !== undefined && given[index]! >= rule.count) continue;
        if (rule.rate !== undefined && random() >= rule.rate) continue;
        given[index] = given[index]! + 1;
        return rule;
      }
      return undefined;
    },
  };
}
