import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/stats/comparison-schema.js';
import { makeErrorRecord, makeRecord, useTempDir } from '../results/helpers.js';
import { DIGITS, reference } from '../stats/reference.js';
import { verdict, verdictJson, writeResults } from './helpers.js';

const temp = useTempDir();
const ref = reference.compare;

/** The reference pairs as two results files, plus an id only in a, one only in b, and one errored in b. */
async function referenceFiles() {
  const a = ref.a.map((score, i) => makeRecord({ id: `q${i}`, score }));
  const b = ref.b.map((score, i) => makeRecord({ id: `q${i}`, score, judge: { model: 'gpt-4o', prompt: 'correctness', prompt_sha: 'def' } }));
  a.push(makeRecord({ id: 'only-a', score: 1 }), makeRecord({ id: 'failed-in-b', score: 5 }));
  b.push(makeRecord({ id: 'only-b', score: 5, judge: b[0]!.judge }), { ...makeErrorRecord('failed-in-b', 'timeout'), judge: b[0]!.judge });
  return [await writeResults(temp.path('a.jsonl'), a), await writeResults(temp.path('b.csv'), b)] as const;
}

describe('verdict compare a b', () => {
  it('gives the mean difference, its paired bootstrap interval and the sign test as NumPy and SciPy do', async () => {
    const [a, b] = await referenceFiles();
    const comparison = await verdictJson<Comparison>(['compare', a, b, '--bootstrap', String(ref.resamples), '--seed', String(ref.seed)]);
    expect(comparison).toMatchObject({ value: 'score', n: ref.a.length, wins: ref.wins, ties: ref.ties, losses: ref.losses });
    expect(comparison).toMatchObject({ only_in_a: 1, only_in_b: 1, errored: { a: 0, b: 1 }, no_value: 0 });
    expect(comparison.mean_a).toBeCloseTo(ref.mean_a, DIGITS);
    expect(comparison.mean_b).toBeCloseTo(ref.mean_b, DIGITS);
    expect(comparison.mean_diff).toBeCloseTo(ref.mean_diff, DIGITS);
    expect(comparison.mean_diff_ci95![0]).toBeCloseTo(ref.mean_diff_ci95[0], DIGITS);
    expect(comparison.mean_diff_ci95![1]).toBeCloseTo(ref.mean_diff_ci95[1], DIGITS);
    expect(comparison.sign_test_p).toBeCloseTo(ref.sign_test_p, DIGITS);
    expect(comparison.b).toMatchObject({ models: ['gpt-4o'], records: ref.b.length + 2 });
  });

  it('prints the comparison as text by default', async () => {
    const [a, b] = await referenceFiles();
    const run = await verdict(['compare', a, b, '--bootstrap', String(ref.resamples), '--seed', String(ref.seed)]);
    expect(run.code).toBe(0);
    // The line breaks between figures to fit 80 columns, so each figure is looked for on its own.
    for (const figure of ['30 ids in both', '1 only in a', '1 only in b', 'errors left out: 0 in a, 1 in b']) expect(run.stdout).toContain(figure);
    expect(run.stdout).toMatch(new RegExp(`b - a \\+${ref.mean_diff.toFixed(2)}  \\(95% CI ${ref.mean_diff_ci95[0].toFixed(2)} to \\+${ref.mean_diff_ci95[1].toFixed(2)}\\)`));
    expect(run.stdout).toMatch(`higher ${ref.wins}, equal ${ref.ties}, lower ${ref.losses}`);
    expect(run.stdout).toMatch(`p = ${ref.sign_test_p.toFixed(3)}`);
  });

  it('compares pairwise verdicts as A = 1, tie = 0.5, B = 0', async () => {
    const verdicts = (list: string[]) => list.map((v, i) => makeRecord({ id: `p${i}`, score: null, pass: null, verdict: v }));
    const a = await writeResults(temp.path('a.jsonl'), verdicts(['A', 'A', 'B', 'tie']));
    const b = await writeResults(temp.path('b.jsonl'), verdicts(['A', 'tie', 'A', 'B']));
    const comparison = await verdictJson<Comparison>(['compare', a, b, '--bootstrap', '0']);
    // Differences 0, -0.5, +1, -0.5.
    expect(comparison).toMatchObject({ value: 'verdict', n: 4, wins: 1, ties: 1, losses: 2, mean_diff: 0, mean_diff_ci95: null, bootstrap: null });
  });

  it('compares one criterion with --criterion', async () => {
    const a = await writeResults(temp.path('a.jsonl'), [makeRecord({ id: 'x', criteria: { clarity: 2, depth: 5 } })]);
    const b = await writeResults(temp.path('b.jsonl'), [makeRecord({ id: 'x', criteria: { clarity: 4, depth: 1 } })]);
    const comparison = await verdictJson<Comparison>(['compare', a, b, '--criterion', 'clarity']);
    expect(comparison).toMatchObject({ value: 'criteria.clarity', mean_diff: 2, wins: 1, sign_test_p: 1 });
  });

  it('refuses files that hold different kinds of value, and a missing file, with exit 2', async () => {
    const a = await writeResults(temp.path('a.jsonl'), [makeRecord({ id: 'x', score: null, pass: null, verdict: 'A' })]);
    const b = await writeResults(temp.path('b.jsonl'), [makeRecord({ id: 'x', score: 4 })]);
    const mixed = await verdict(['compare', a, b]);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toMatch(/holds pairwise verdicts and .*b\.jsonl scores: there is nothing to compare/);
    const missing = await verdict(['compare', a, temp.path('nope.jsonl')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.jsonl does not exist/);
  });
});
