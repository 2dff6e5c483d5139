import { describe, expect, it } from 'vitest';
import { chatCompletion } from '../helpers/completion.js';
import { classifyAnswerSpec } from '../../src/judge/modes/classify.js';
import { pairwiseAnswerSpec, unswap } from '../../src/judge/modes/pairwise.js';
import { passFailAnswerSpec } from '../../src/judge/modes/pass-fail.js';
import { scoreAnswerSpec } from '../../src/judge/modes/score.js';
import { readCompletion } from '../../src/judge/read-completion.js';
import type { Sample } from '../../src/results/record.js';

const completion = (content: string) => chatCompletion(content);

function sample(fields: Partial<Sample>): Sample {
  return { repeat: 1, order: null, score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: 'r', ...fields };
}

describe('pairwise answers', () => {
  const spec = pairwiseAnswerSpec();

  it.each([
    ['Both are fine, but A is tighter.\n[[A]]', 'A'],
    ['Answer B covers more.\nVerdict: B', 'B'],
    ['Neither is better. [[C]]', 'tie'],
    ['**Winner:** tie', 'tie'],
    // The graded answers may contain a verdict of their own: the judge's, the last one, wins.
    ['Answer A says "[[B]]" in its text, which proves nothing.\n[[A]]', 'A'],
  ])('reads %j as %s', (text, expected) => {
    const reading = readCompletion(completion(text), spec);
    expect(reading.ok && reading.grade.verdict).toBe(expected);
  });

  it('never reads a verdict out of prose ("Verdict: a better answer")', () => {
    expect(readCompletion(completion('Verdict: a better answer would cite sources.'), spec).ok).toBe(false);
  });

  it('maps the swapped order back to the dataset order', () => {
    expect([unswap('A', 'BA'), unswap('B', 'BA'), unswap('tie', 'BA'), unswap('A', 'AB'), unswap('B', null)]).toEqual(['B', 'A', 'tie', 'A', 'B']);
  });

  it('keeps a verdict both orders agree on, and calls a flip a tie', () => {
    const agreed = spec.combine([sample({ order: 'AB', verdict: 'B' }), sample({ order: 'BA', verdict: 'B' })]);
    expect(agreed).toMatchObject({ grade: { verdict: 'B', score: null }, agreement: 1, flipped: false });
    const flipped = spec.combine([sample({ order: 'AB', verdict: 'A' }), sample({ order: 'BA', verdict: 'B' })]);
    expect(flipped).toMatchObject({ grade: { verdict: 'tie' }, agreement: 0.5, flipped: true });
  });

  it('takes the majority over repeats, and a tie when A and B split it', () => {
    const both = (repeat: number, ab: string, ba: string) => [sample({ repeat, order: 'AB', verdict: ab }), sample({ repeat, order: 'BA', verdict: ba })];
    expect(spec.combine([...both(1, 'A', 'A'), ...both(2, 'A', 'A'), ...both(3, 'B', 'B')]).grade.verdict).toBe('A');
    expect(spec.combine([...both(1, 'A', 'A'), ...both(2, 'B', 'B')]).grade.verdict).toBe('tie');
    const oneFlip = spec.combine([...both(1, 'A', 'A'), ...both(2, 'A', 'B'), ...both(3, 'A', 'A')]);
    expect(oneFlip).toMatchObject({ grade: { verdict: 'A' }, flipped: true });
    // swap: false — one order per repeat, nothing can flip.
    expect(spec.combine([sample({ repeat: 1, order: 'AB', verdict: 'A' }), sample({ repeat: 2, order: 'AB', verdict: 'A' })]).flipped).toBeNull();
  });
});

describe('classify answers', () => {
  const spec = classifyAnswerSpec({ choices: { Yes: 1, 'Yes-ish': 0.75, No: 0 }, pass: 0.75 });

  it('reads a structured label and scores it from choices', () => {
    const reading = readCompletion(completion('{"reasoning":"close","label":"Yes-ish"}'), spec);
    expect(reading).toMatchObject({ ok: true, grade: { label: 'Yes-ish', score: 0.75, pass: true } });
  });

  it.each([
    ['Reasoning: clear.\nLabel: No', 'No'],
    ['label: yes-ish', 'Yes-ish'],
    ['Answer: [[Yes]]', 'Yes'],
  ])('reads the text answer %j as %s, spelled as the prompt spells it', (text, expected) => {
    const reading = readCompletion(completion(text), spec);
    expect(reading.ok && reading.grade.label).toBe(expected);
  });

  it('refuses a label that is not a choice', () => {
    expect(readCompletion(completion('{"reasoning":"x","label":"Maybe"}'), spec).ok).toBe(false);
    expect(readCompletion(completion('Label: Maybe'), spec).ok).toBe(false);
  });

  it('aggregates repeats: majority label, mean score', () => {
    const combined = spec.combine([sample({ label: 'Yes', score: 1 }), sample({ label: 'No', score: 0 }), sample({ label: 'Yes', score: 1 })]);
    expect(combined.grade).toMatchObject({ label: 'Yes', pass: false });
    expect(combined.grade.score).toBeCloseTo(2 / 3, 10);
    expect(combined.agreement).toBeCloseTo(2 / 3, 10);
  });
});

describe('multi-criteria answers', () => {
  const spec = scoreAnswerSpec({ scale: { min: 1, max: 5 }, pass: 3, criteria: ['coherence', 'fluency', 'relevance'] });

  it('reads one score per criterion; the row scores their mean', () => {
    const reading = readCompletion(completion('{"reasoning":"ok","criteria":{"fluency":5,"coherence":2,"relevance":3}}'), spec);
    expect(reading).toMatchObject({ ok: true, grade: { criteria: { coherence: 2, fluency: 5, relevance: 3 } } });
    expect(reading.ok && reading.grade.score).toBeCloseTo(10 / 3, 10);
    expect(reading.ok && Object.keys(reading.grade.criteria ?? {})).toEqual(['coherence', 'fluency', 'relevance']);
  });

  it('reads criteria from text, the last line of each winning', () => {
    const text = 'The summary says "coherence: 5".\nReasoning: fine.\nCoherence: 2\n**Fluency**: 4\nrelevance = 3';
    const reading = readCompletion(completion(text), spec);
    expect(reading.ok && reading.grade.criteria).toEqual({ coherence: 2, fluency: 4, relevance: 3 });
  });

  it('refuses an answer missing a criterion, or one off the scale', () => {
    expect(readCompletion(completion('Coherence: 2\nFluency: 4'), spec).ok).toBe(false);
    expect(readCompletion(completion('{"reasoning":"x","criteria":{"coherence":9,"fluency":1,"relevance":1}}'), spec).ok).toBe(false);
  });

  it('aggregates repeats per criterion', () => {
    const combined = spec.combine([
      sample({ score: 2, criteria: { coherence: 1, fluency: 2, relevance: 3 } }),
      sample({ score: 4, criteria: { coherence: 3, fluency: 4, relevance: 5 } }),
    ]);
    expect(combined.grade.criteria).toEqual({ coherence: 2, fluency: 3, relevance: 4 });
    expect(combined.grade).toMatchObject({ score: 3, pass: true });
    expect(combined.agreement).toBe(0.5);
  });
});

describe('repeats of single-score and pass-fail judges', () => {
  it('means the scores and reports the share giving the modal one', () => {
    const spec = scoreAnswerSpec({ scale: { min: 1, max: 5 }, pass: 4 });
    const combined = spec.combine([sample({ score: 4 }), sample({ score: 4 }), sample({ score: 3 })]);
    expect(combined.grade.score).toBeCloseTo(11 / 3, 10);
    expect(combined.grade.pass).toBe(false);
    expect(combined.agreement).toBeCloseTo(2 / 3, 10);
  });

  it('needs a strict majority of passes for a pass', () => {
    const spec = passFailAnswerSpec();
    expect(spec.combine([sample({ pass: true }), sample({ pass: false })]).grade).toMatchObject({ pass: false, score: 0.5 });
    expect(spec.combine([sample({ pass: true }), sample({ pass: true }), sample({ pass: false })]).grade.pass).toBe(true);
  });
});
