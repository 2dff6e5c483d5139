import { describe, expect, it } from 'vitest';
import type { Agreement } from '../../src/stats/agreement-schema.js';
import type { Summary } from '../../src/stats/summary.js';
import { makeErrorRecord, makeRecord, useTempDir } from '../results/helpers.js';
import { DIGITS, reference } from '../stats/reference.js';
import { verdict, verdictJson, writeResults } from './helpers.js';

const temp = useTempDir();
type StatsJson = Summary & { agreement: Agreement };

// The bootstrap resamples rows in id order; ids that sort as the reference lists its rows keep the
// reference's draws.
const pad = (i: number) => String(i).padStart(4, '0');

// Human pairwise labels spelled as LLMBar and PandaLM spell them.
const SPELLED = { A: 1, B: 2, tie: 0 } as const;

function expectClose(actual: number | null | undefined, expected: number | null | undefined) {
  if (expected === null || expected === undefined) expect(actual ?? null).toBeNull();
  else expect(actual).toBeCloseTo(expected, DIGITS);
}
function expectInterval(actual: [number, number] | null | undefined, expected: [number, number] | null | undefined) {
  if (expected === null || expected === undefined) return expect(actual ?? null).toBeNull();
  expectClose(actual?.[0], expected[0]);
  expectClose(actual?.[1], expected[1]);
}

const pairwiseCase = reference.agreement_rows.find((c) => c.scale === 'pairwise')!;
const ordinalCase = reference.agreement_rows.find((c) => c.scale === 'ordinal')!;

/** The pairwise reference case as results: the judge's verdicts, the human labels in the rows, plus an error and an unlabelled row. */
function pairwiseRecords() {
  const records = pairwiseCase.human.map((human, i) =>
    makeRecord({ id: `p${pad(i)}`, score: null, pass: null, verdict: String(pairwiseCase.judge[i]), row: { label: SPELLED[human as keyof typeof SPELLED] } }),
  );
  records.splice(10, 0, makeErrorRecord('broken', 'timeout'), makeRecord({ id: 'unlabelled', score: null, pass: null, verdict: 'A', row: { label: '' } }));
  return records;
}

describe('verdict stats --label-field', () => {
  it('gives pairwise agreement, with and without ties, equal to scikit-learn and SciPy, intervals included', async () => {
    const file = await writeResults(temp.path('pairwise.jsonl'), pairwiseRecords());
    const { resamples, seed, point, ci95 } = pairwiseCase;
    const stats = await verdictJson<StatsJson>(['stats', file, '--label-field', 'label', '--bootstrap', String(resamples), '--seed', String(seed)]);
    const agreement = stats.agreement;
    expect(agreement).toMatchObject({ label_field: 'label', judge_field: 'verdict', scale: 'pairwise', n: pairwiseCase.human.length, kappa_weights: 'none' });
    expect(agreement.skipped).toEqual({ errors: 1, no_label: 1, no_judge_value: 0 });
    for (const key of ['accuracy', 'kappa', 'macro_f1', 'spearman', 'kendall', 'pearson'] as const) {
      expectClose(agreement[key], point[key]);
      expectInterval(agreement[`${key}_ci95`], ci95[key]);
    }
    expect(agreement.without_ties?.n).toBe(point.nt_n);
    expectClose(agreement.without_ties?.accuracy, point.nt_accuracy);
    expectClose(agreement.without_ties?.kappa, point.nt_kappa);
    expectInterval(agreement.without_ties?.kappa_ci95, ci95.nt_kappa);
    // The summary is the one SPEC describes, recomputed from the records.
    expect(stats).toMatchObject({ status: 'complete', rows: pairwiseCase.human.length + 2, graded: pairwiseCase.human.length + 1, errors: { timeout: 1 } });
    expect(stats.pairwise?.a).toBe(pairwiseCase.judge.filter((v) => v === 'A').length + 1);
  });

  it('gives the same intervals whatever order the records were written in (completion order varies)', async () => {
    const records = pairwiseRecords();
    const forwards = await verdictJson<StatsJson>(['stats', await writeResults(temp.path('f.jsonl'), records), '--label-field', 'label']);
    const backwards = await verdictJson<StatsJson>(['stats', await writeResults(temp.path('b.jsonl'), [...records].reverse()), '--label-field', 'label']);
    expect(backwards.agreement.accuracy_ci95).toEqual(forwards.agreement.accuracy_ci95);
    expect(backwards.agreement.kappa_ci95).toEqual(forwards.agreement.kappa_ci95);
    expect(backwards.agreement.without_ties?.accuracy_ci95).toEqual(forwards.agreement.without_ties?.accuracy_ci95);
  });

  it('takes pairs judged in both orders one order at a time, as LLMBar reports a judge', async () => {
    const both = (repeat: number, ab: string, ba: string) => [
      { repeat, order: 'AB' as const, score: null, pass: null, verdict: ab, label: null, criteria: null, reasoning: null },
      { repeat, order: 'BA' as const, score: null, pass: null, verdict: ba, label: null, criteria: null, reasoning: null },
    ];
    // Label 1 = A better, 2 = B better. Row 1: both orders right. Row 2: AB right, BA flipped.
    // Row 3: both wrong. Row 4 (two repeats): right twice in AB, BA right once.
    const records = [
      makeRecord({ id: 'r1', score: null, pass: null, verdict: 'A', flipped: false, samples: both(1, 'A', 'A'), row: { label: 1 } }),
      makeRecord({ id: 'r2', score: null, pass: null, verdict: 'tie', flipped: true, samples: both(1, 'B', 'A'), row: { label: 2 } }),
      makeRecord({ id: 'r3', score: null, pass: null, verdict: 'B', flipped: false, samples: both(1, 'B', 'B'), row: { label: 1 } }),
      makeRecord({ id: 'r4', score: null, pass: null, verdict: 'B', flipped: true, samples: [...both(1, 'B', 'B'), ...both(2, 'B', 'A')], row: { label: 2 } }),
    ];
    const json = await verdictJson<StatsJson>(['stats', await writeResults(temp.path('pairs.jsonl'), records), '--label-field', 'label']);
    // Judgements: r1, r2, r3, r4#1, r4#2. AB right: r1, r2, r4#1, r4#2 = 4/5. BA right: r1, r4#1 = 2/5.
    expect(json.agreement.by_order).toEqual({ n: 5, ab_accuracy: 0.8, ba_accuracy: 0.4, mean_accuracy: expect.closeTo(0.6, 12), positional_agreement: 0.6 });
    const text = await verdict(['stats', temp.path('pairs.jsonl'), '--label-field', 'label']);
    expect(text.stdout).toMatch(/by order\s+5 judged both ways.*accuracy AB 80\.0%, BA 40\.0%, mean 60\.0%.*positional agreement 60\.0%/s);
  });

  it('gives quadratic-weighted kappa for whole scores on both sides, equal to scikit-learn', async () => {
    const records = ordinalCase.human.map((human, i) => makeRecord({ id: `o${pad(i)}`, score: Number(ordinalCase.judge[i]), pass: null, row: { grade: String(human) } }));
    const file = await writeResults(temp.path('ordinal.jsonl'), records);
    const { agreement } = await verdictJson<StatsJson>(['stats', file, '--label-field', 'grade', '--bootstrap', String(ordinalCase.resamples), '--seed', String(ordinalCase.seed)]);
    expect(agreement).toMatchObject({ judge_field: 'score', scale: 'ordinal', kappa_weights: 'quadratic' });
    expectClose(agreement.kappa, ordinalCase.point.kappa);
    expectInterval(agreement.kappa_ci95, ordinalCase.ci95.kappa);
    expectClose(agreement.accuracy, ordinalCase.point.accuracy);
    expect(agreement.confusion?.labels).toEqual(['1', '2', '3', '4', '5']);
  });

  it('reads a CSV results file: the criterion named like the label, correlations averaged over groups (G-Eval summary-level)', async () => {
    const { groups, seed, resamples, used, point, ci95 } = reference.grouped;
    const records = groups.flatMap((group, g) =>
      group.human.map((human, i) =>
        makeRecord({ id: `${pad(g)}-${group.key}-S${pad(i)}`, score: group.judge[i]!, pass: null, criteria: { coherence: group.judge[i]!, fluency: 3 }, row: { article_id: group.key, coherence: human } }),
      ),
    );
    const file = await writeResults(temp.path('summeval.csv'), records);
    const { agreement } = await verdictJson<StatsJson>(['stats', file, '--label-field', 'coherence', '--group-by', 'article_id', '--bootstrap', String(resamples), '--seed', String(seed)]);
    expect(agreement).toMatchObject({ judge_field: 'criteria.coherence', scale: 'continuous', accuracy: null, kappa: null });
    expect(agreement.groups).toEqual({ field: 'article_id', total: groups.length, used });
    for (const key of ['spearman', 'kendall', 'pearson'] as const) {
      expectClose(agreement[key], point[key]);
      expectInterval(agreement[`${key}_ci95`], ci95[key]);
    }
  });

  it('follows a dotted label field into a nested row, and --criterion picks the judge value', async () => {
    const records = [1, 2, 3, 4].map((n) => makeRecord({ id: `t${n}`, score: 5 - n, pass: null, criteria: { overall: 5 - n, style: n }, row: { scores: { quality: n } } }));
    const file = await writeResults(temp.path('nested.jsonl'), records);
    const byScore = await verdictJson<StatsJson>(['stats', file, '--label-field', 'scores.quality']);
    expect(byScore.agreement).toMatchObject({ judge_field: 'score', n: 4 });
    expect(byScore.agreement.spearman).toBeCloseTo(-1, 12);
    const byCriterion = await verdictJson<StatsJson>(['stats', file, '--label-field', 'scores.quality', '--criterion', 'style']);
    expect(byCriterion.agreement).toMatchObject({ judge_field: 'criteria.style', accuracy: 1, kappa: 1 });
  });

  it('compares a pass-fail judge with pass/fail labels as categories', async () => {
    const labels = ['pass', 'fail', 'pass', 'pass', 'fail'];
    const passes = [true, false, false, true, false];
    const records = passes.map((pass, i) => makeRecord({ id: `f${i}`, score: pass ? 1 : 0, pass, row: { human: labels[i] } }));
    const file = await writeResults(temp.path('pass-fail.jsonl'), records);
    const { agreement } = await verdictJson<StatsJson>(['stats', file, '--label-field', 'human', '--bootstrap', '0']);
    expect(agreement).toMatchObject({ judge_field: 'pass', scale: 'binary', accuracy: 0.8, bootstrap: null, accuracy_ci95: null });
    expect(agreement.confusion).toEqual({ labels: ['fail', 'pass'], matrix: [[2, 0], [1, 2]] });
  });

  it('prints the summary and the agreement as text by default', async () => {
    const file = await writeResults(temp.path('pairwise.jsonl'), pairwiseRecords());
    const run = await verdict(['stats', file, '--label-field', 'label', '--bootstrap', '50']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^status +complete/m);
    expect(run.stdout).toMatch(/rate-limited responses and wall time are not kept in records/);
    expect(run.stdout).toMatch(new RegExp(`^accuracy +${(pairwiseCase.point.accuracy! * 100).toFixed(1)}%  \\(95% CI`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^kappa +${pairwiseCase.point.kappa!.toFixed(3)}`, 'm'));
    expect(run.stdout).toMatch(/^no ties +49 rows without a tie/m);
    expect(run.stdout).toMatch(/1 without a label skipped, 1 error skipped/);
    expect(run.stdout).toMatch(/^confusion rows: human, columns: judge/m);
  });
});

describe('verdict stats over several files', () => {
  it('lets a later record of an id replace an earlier one, and says so', async () => {
    const first = await writeResults(temp.path('first.jsonl'), [makeRecord({ id: 'q1', score: 1 }), makeRecord({ id: 'q2', score: 2 })]);
    const second = await writeResults(temp.path('second.csv'), [makeRecord({ id: 'q1', score: 5 })]);
    const run = await verdict(['stats', first, second]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^rows +2 rows, 2 graded/m);
    expect(run.stdout).toMatch(/^mean +3\.50/m);
    expect(run.stdout).toMatch(/3 records in 2 files, 1 replaced by a later record of the same id/);
    const json = await verdict(['stats', first, second, '--json']);
    expect(JSON.parse(json.stdout)).toMatchObject({ rows: 2, mean: 3.5, histogram: { '2': 1, '5': 1 } });
    expect(json.stderr).toMatch(/1 of 3 records replaced by a later record of the same id/);
  });
});

describe('verdict stats: bad input and usage exit 2', () => {
  it('names the file, line and field of a label it cannot read', async () => {
    const records = [makeRecord({ id: 'a', verdict: 'A', row: { label: 1 } }), makeRecord({ id: 'b', verdict: 'B', row: { label: 'maybe' } })];
    const file = await writeResults(temp.path('bad.jsonl'), records);
    const run = await verdict(['stats', file, '--label-field', 'label']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}:2 (field "label"): cannot read "maybe" as a pairwise label`);
    expect(run.stdout).toBe('');
  });

  it('names the CSV row of a label it cannot read', async () => {
    const records = [makeRecord({ id: 'a', score: 3, row: { grade: '4' } }), makeRecord({ id: 'b', score: 2, row: { grade: 'high' } })];
    const file = await writeResults(temp.path('bad.csv'), records);
    const run = await verdict(['stats', file, '--label-field', 'grade']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} (row 2, field "grade"): cannot read "high" as a number`);
  });

  it('names the line of a record that is not a results record', async () => {
    const file = temp.path('mangled.jsonl');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, `${JSON.stringify(makeRecord())}\n\n{"id": 3}\n`));
    const run = await verdict(['stats', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/mangled\.jsonl:3: not a verdict results record/);
  });

  it.each([
    [['--group-by', 'article_id'], /--group-by needs --label-field/],
    [['--criterion', 'coherence'], /--criterion needs --label-field/],
    [['--label-field', 'label', '--bootstrap', '-5'], /--bootstrap must be 0/],
    [['--label-field', 'label', '--seed', 'x'], /--seed must be a number/],
    [['--label-field', 'label', '--criterion', 'nope'], /--criterion nope: no graded record scores a criterion "nope"/],
  ])('refuses %j', async (flags, message) => {
    const file = await writeResults(temp.path('ok.jsonl'), [makeRecord({ row: { label: 3 } })]);
    const run = await verdict(['stats', file, ...flags]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses a file that does not exist, and a directory', async () => {
    const run = await verdict(['stats', temp.path('missing.jsonl')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/missing\.jsonl does not exist/);
    const directory = await verdict(['stats', temp.dir()]);
    expect(directory.code).toBe(2);
    expect(directory.stderr).toMatch(/is a directory, not a results file/);
  });
});
