/** Issue 17 item 1: how a panel's votes become a row's grade, ties as each mode's --repeat rules say. */
import { describe, expect, it } from 'vitest';
import type { Grade } from '../../src/judge/answer-spec.js';
import { classifyAnswerSpec } from '../../src/judge/modes/classify.js';
import { pairwiseAnswerSpec } from '../../src/judge/modes/pairwise.js';
import { passFailAnswerSpec } from '../../src/judge/modes/pass-fail.js';
import { scoreAnswerSpec } from '../../src/judge/modes/score.js';
import type { AnswerSpec } from '../../src/judge/answer-spec.js';
import { aggregateVotes, median, type PanelRules } from '../../src/judge/panel-aggregate.js';

const NONE: Grade = { score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null };
const scored = (...scores: number[]): Grade[] => scores.map((score, i) => ({ ...NONE, score, pass: score >= 4, reasoning: `judge ${i + 1}` }));
const scoreRules: PanelRules = { mode: 'score', spec: scoreAnswerSpec({ scale: { min: 1, max: 5 }, pass: 4 }) as AnswerSpec, pass: 4 };

describe('a score panel', () => {
  it.each([
    // [votes, how, score, pass]
    [[2, 4, 5], 'mean', 11 / 3, false],
    [[2, 4, 5], 'median', 4, true],
    [[1, 4, 5, 5], 'median', 4.5, true],
    [[3, 5, 5], 'majority', 5, true],
    // No score has the top count alone: the median decides, never the order the judges were named in.
    [[5, 3, 1], 'majority', 3, false],
    [[5, 5, 1, 1], 'majority', 3, false],
    [[2, 5], 'majority', 3.5, false],
  ] as const)('%j by %s is %d, pass %s (from the prompt\'s pass mark, 4)', (votes, how, score, pass) => {
    const { grade } = aggregateVotes(scored(...votes), how, scoreRules);
    expect(grade.score).toBeCloseTo(score, 10);
    expect(grade.pass).toBe(pass);
  });

  it('says how many judges gave the modal score, and keeps the reasoning of a judge whose score is the panel\'s', () => {
    const combined = aggregateVotes(scored(3, 5, 5), 'median', scoreRules);
    expect(combined.agreement).toBeCloseTo(2 / 3);
    expect(combined.grade.reasoning).toBe('judge 2');
    expect(combined.flipped).toBeNull();
  });

  it('folds each criterion as it folds the score', () => {
    const rules: PanelRules = { mode: 'score', spec: scoreAnswerSpec({ scale: { min: 1, max: 5 }, criteria: ['a', 'b'] }) as AnswerSpec, criteria: ['a', 'b'] };
    const votes: Grade[] = [
      { ...NONE, score: 2, criteria: { a: 1, b: 3 } },
      { ...NONE, score: 4, criteria: { a: 5, b: 3 } },
      { ...NONE, score: 4.5, criteria: { a: 4, b: 5 } },
    ];
    expect(aggregateVotes(votes, 'median', rules).grade).toMatchObject({ score: 4, criteria: { a: 4, b: 3 }, pass: null });
    expect(aggregateVotes(votes, 'mean', rules).grade.criteria).toEqual({ a: 10 / 3, b: 11 / 3 });
  });

  it('takes one answering judge\'s grade as it is', () => {
    const [only] = scored(2);
    expect(aggregateVotes([only!], 'mean', scoreRules)).toEqual({ grade: only, agreement: 1, flipped: null });
  });
});

describe('a pass-fail panel (majority, as --repeat decides it)', () => {
  const rules: PanelRules = { mode: 'pass-fail', spec: passFailAnswerSpec() as AnswerSpec };
  const votes = (...passes: boolean[]): Grade[] => passes.map((pass) => ({ ...NONE, pass, score: pass ? 1 : 0 }));

  it('passes on a strict majority; a split is a fail', () => {
    expect(aggregateVotes(votes(true, true, false), 'majority', rules).grade).toMatchObject({ pass: true, score: 2 / 3 });
    expect(aggregateVotes(votes(true, false), 'majority', rules).grade).toMatchObject({ pass: false, score: 0.5 });
  });
});

describe('a pairwise panel (majority, as --repeat decides it)', () => {
  const rules: PanelRules = { mode: 'pairwise', spec: pairwiseAnswerSpec() as AnswerSpec };
  const votes = (...verdicts: string[]): Grade[] => verdicts.map((verdict) => ({ ...NONE, verdict, reasoning: `said ${verdict}` }));

  it.each([
    [['A', 'A', 'B'], 'A', 2 / 3],
    [['B', 'tie', 'B'], 'B', 2 / 3],
    // A and B split the top count: no preference, a tie.
    [['A', 'B'], 'tie', 1 / 2],
    [['A', 'B', 'tie'], 'tie', 1 / 3],
    [['tie', 'tie', 'A'], 'tie', 2 / 3],
  ])('%j is %s', (verdicts, verdict, agreement) => {
    const combined = aggregateVotes(votes(...verdicts), 'majority', rules);
    expect(combined.grade.verdict).toBe(verdict);
    expect(combined.grade.score).toBeNull();
    expect(combined.agreement).toBeCloseTo(agreement);
  });
});

describe('a classify panel (majority, as --repeat decides it)', () => {
  const spec = classifyAnswerSpec({ choices: { good: 3, fair: 2, poor: 1 }, pass: 2 }) as AnswerSpec;
  const rules: PanelRules = { mode: 'classify', spec, pass: 2 };
  const votes = (...labels: string[]): Grade[] => labels.map((label) => ({ ...NONE, label, score: { good: 3, fair: 2, poor: 1 }[label]! }));

  it('takes the most common label, the mean of the labels\' scores, and the first label to reach the top count on a tie', () => {
    expect(aggregateVotes(votes('good', 'poor', 'good'), 'majority', rules).grade).toMatchObject({ label: 'good', score: 7 / 3, pass: true });
    expect(aggregateVotes(votes('poor', 'good'), 'majority', rules).grade.label).toBe('poor');
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
