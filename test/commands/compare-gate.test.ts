import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/stats/comparison-schema.js';
import { makeErrorRecord, makeRecord, useTempDir } from '../results/helpers.js';
import { verdict, writeResults } from './helpers.js';

const temp = useTempDir();

/** A results file of scores, one record per score, ids s0, s1, … */
function scores(name: string, values: (number | null)[]): Promise<string> {
  return writeResults(temp.path(name), values.map((score, i) => makeRecord({ id: `s${i}`, score, pass: score === null ? null : score >= 3 })));
}

const BASE = [4, 4, 5, 3, 4, 5, 4, 3, 4, 5, 4, 4];
const WORSE = [2, 3, 3, 2, 3, 4, 2, 2, 3, 4, 3, 2];
const BETTER = [5, 5, 5, 4, 5, 5, 5, 4, 5, 5, 5, 5];

describe('verdict compare --fail-if-worse', () => {
  it('exits 1 on a pair that got worse, naming the fall and the interval', async () => {
    const run = await verdict(['compare', await scores('base.jsonl', BASE), await scores('head.jsonl', WORSE), '--fail-if-worse', '0.1']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/verdict: mean score fell against the baseline: change -1\.33, 95% CI -1\.58 to -1\.08, wholly below -0\.1 \(--fail-if-worse 0\.1\)/);
    // The comparison itself is still printed.
    expect(run.stdout).toContain('b - a');
  });

  it('exits 0 on a pair that got better, and on an equal pair', async () => {
    const base = await scores('base.jsonl', BASE);
    expect((await verdict(['compare', base, await scores('better.jsonl', BETTER), '--fail-if-worse', '0'])).code).toBe(0);
    const equal = await verdict(['compare', base, await scores('same.jsonl', BASE), '--fail-if-worse', '0']);
    expect(equal.code).toBe(0);
    expect(equal.stderr).toBe('');
  });

  it('exits 0 without --fail-if-worse, however much worse', async () => {
    expect((await verdict(['compare', await scores('base.jsonl', BASE), await scores('head.jsonl', WORSE)])).code).toBe(0);
  });

  it('fails only when the whole interval lies below -delta: an upper end of exactly -delta passes', async () => {
    // Every id falls by exactly 0.5, so every resample's mean, and the interval, is [-0.5, -0.5].
    const base = await scores('base.jsonl', [3, 4, 3, 4, 3, 4]);
    const head = await scores('head.jsonl', [2.5, 3.5, 2.5, 3.5, 2.5, 3.5]);
    const json = await verdict(['compare', base, head, '--json']);
    expect((JSON.parse(json.stdout) as Comparison).mean_diff_ci95).toEqual([-0.5, -0.5]);
    expect((await verdict(['compare', base, head, '--fail-if-worse', '0.5'])).code).toBe(0);
    expect((await verdict(['compare', base, head, '--fail-if-worse', '0.6'])).code).toBe(0);
    const below = await verdict(['compare', base, head, '--fail-if-worse', '0.49']);
    expect(below.code).toBe(1);
    expect(below.stderr).toContain('95% CI -0.5 to -0.5, wholly below -0.49');
  });

  it('compares the pass rate with --metric pass_rate, in its own units', async () => {
    // Scores rise while passes fall: the metric decides which one gates.
    const base = await writeResults(temp.path('base.jsonl'), [0, 1, 2, 3].map((i) => makeRecord({ id: `p${i}`, score: 3, pass: true })));
    const head = await writeResults(temp.path('head.jsonl'), [0, 1, 2, 3].map((i) => makeRecord({ id: `p${i}`, score: 5, pass: false })));
    expect((await verdict(['compare', base, head, '--fail-if-worse', '0.5'])).code).toBe(0);
    const passRate = await verdict(['compare', base, head, '--metric', 'pass_rate', '--fail-if-worse', '0.5', '--json']);
    expect(passRate.code).toBe(1);
    expect(JSON.parse(passRate.stdout)).toMatchObject({ metric: 'pass_rate', value: 'pass', mean_a: 1, mean_b: 0, mean_diff: -1 });
    expect(passRate.stderr).toContain('pass rate fell against the baseline');
    // Exactly -1 everywhere: a delta of 1 tolerates it.
    expect((await verdict(['compare', base, head, '--metric', 'pass_rate', '--fail-if-worse', '1'])).code).toBe(0);
  });

  it('compares pairwise results by win rate (A preferred, a tie counting half) by default', async () => {
    const verdicts = (name: string, list: string[]) =>
      writeResults(temp.path(name), list.map((v, i) => makeRecord({ id: `w${i}`, score: null, pass: null, verdict: v })));
    const base = await verdicts('base.jsonl', ['A', 'A', 'A', 'A', 'tie', 'A']);
    const head = await verdicts('head.jsonl', ['B', 'B', 'tie', 'B', 'B', 'B']);
    const run = await verdict(['compare', base, head, '--fail-if-worse', '0.2', '--json']);
    expect(run.code).toBe(1);
    const comparison = JSON.parse(run.stdout) as Comparison;
    expect(comparison).toMatchObject({ metric: 'win_rate', mean_a: 11 / 12, mean_b: 1 / 12, losses: 6 });
    expect(run.stderr).toContain('win rate of A fell against the baseline');
    expect((await verdict(['compare', base, head, '--metric', 'win_rate', '--json'])).stdout).toContain('"metric": "win_rate"');
    // In Markdown a row shows the verdict it had, and the footnote says what the win rate is.
    await verdict(['compare', base, head, '--markdown', temp.path('wins.md')]);
    const markdown = await readFile(temp.path('wins.md'), 'utf8');
    expect(markdown).toContain('| win rate of A | 0.917 | 0.083 | −0.833 |');
    expect(markdown).toContain('| w0 | A | B | −1.000 |');
    expect(markdown).toContain('| w4 | tie | B | −0.500 |');
    expect(markdown).toContain('win rate of A: the share of rows whose verdict prefers output A, a tie counting half');
  });

  it('exits 2, before comparing, on a metric the files do not hold, a bad delta, or no bootstrap to judge', async () => {
    const base = await scores('base.jsonl', BASE);
    const head = await scores('head.jsonl', WORSE);
    const noWins = await verdict(['compare', base, head, '--metric', 'win_rate']);
    expect(noWins.code).toBe(2);
    expect(noWins.stderr).toMatch(/--metric win_rate: no graded record of .*base\.jsonl has a pairwise verdict/);
    const negative = await verdict(['compare', base, head, '--fail-if-worse', '-1']);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toContain('--fail-if-worse must be 0 or more');
    const unknown = await verdict(['compare', base, head, '--metric', 'median']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--metric takes one of mean, pass_rate, win_rate');
    const noBootstrap = await verdict(['compare', base, head, '--fail-if-worse', '0', '--bootstrap', '0']);
    expect(noBootstrap.code).toBe(2);
    expect(noBootstrap.stderr).toContain('--bootstrap must be more than 0');
    const criterion = await verdict(['compare', base, head, '--criterion', 'clarity', '--metric', 'pass_rate']);
    expect(criterion.code).toBe(2);
    expect(criterion.stderr).toContain('--criterion');
  });

  it('fails the gate when too few ids are shared to give an interval', async () => {
    const base = await scores('base.jsonl', [4]);
    const head = await scores('head.jsonl', [4]);
    const run = await verdict(['compare', base, head, '--fail-if-worse', '0']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('1 id graded in both the baseline and the results give no interval');
  });
});

describe('verdict compare --markdown', () => {
  it('writes the headline with its interval, better/equal/worse and the rows that got worse most', async () => {
    const base = await writeResults(temp.path('base.jsonl'), [
      ...[5, 4, 4, 3, 5, 2].map((score, i) => makeRecord({ id: `q${i}`, score })),
      makeRecord({ id: 'gone', score: 4 }),
      makeRecord({ id: 'x|y', score: 5 }),
    ]);
    const judge = { model: 'gpt-4o', prompt: 'correctness', prompt_sha: 'def' };
    const head = await writeResults(temp.path('head.jsonl'), [
      ...[3, 4, 3, 1, 5, 2].map((score, i) => makeRecord({ id: `q${i}`, score, judge })),
      makeRecord({ id: 'x|y', score: 4, judge }),
      { ...makeErrorRecord('new', 'timeout'), judge },
    ]);
    const run = await verdict(['compare', base, head, '--fail-if-worse', '0.1', '--seed', '7', '--bootstrap', '500', '--markdown', temp.path('out/comment.md')]);
    expect(run.code).toBe(1);
    const markdown = await readFile(temp.path('out/comment.md'), 'utf8');
    expect(markdown).toBe(EXPECTED_MARKDOWN);
  });

  it('refuses a --markdown that is one of the results files compared, with exit 2 and the file untouched', async () => {
    const base = await scores('base.jsonl', BASE);
    const head = await scores('head.jsonl', WORSE);
    const before = await readFile(head, 'utf8');
    const run = await verdict(['compare', base, head, '--markdown', head]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('an output never overwrites an input');
    expect(await readFile(head, 'utf8')).toBe(before);
  });
});

// The exact text of a small case, seeded: the interval is the bootstrap's with 500 resamples from seed 7.
const EXPECTED_MARKDOWN = [
  '### ❌ verdict: worse than the baseline · mean score',
  '',
  '- mean score fell against the baseline: change -0.86, 95% CI -1.43 to -0.29, wholly below -0.1 (--fail-if-worse 0.1)',
  '',
  '| figure | base | head | head − base | 95% CI |',
  '| --- | ---: | ---: | ---: | ---: |',
  '| mean score | 4.00 | 3.14 | −0.86 | −1.43 to −0.29 |',
  '',
  '| ids in both | better | equal | worse | sign test |',
  '| ---: | ---: | ---: | ---: | ---: |',
  '| 7 | 0 | 3 | 4 | p = 0.125 |',
  '',
  'Left out: 1 only in base; 1 only in head.',
  '',
  '**Rows that got worse most (4)**',
  '',
  '| id | base | head | delta |',
  '| --- | ---: | ---: | ---: |',
  '| q0 | 5 | 3 | −2.00 |',
  '| q3 | 3 | 1 | −2.00 |',
  '| q2 | 4 | 3 | −1.00 |',
  '| x\\|y | 5 | 4 | −1.00 |',
  '',
  '<sub>base base.jsonl (gpt-4o-mini, correctness); head head.jsonl (gpt-4o, correctness); paired percentile bootstrap over the ids, 500 resamples, seed 7</sub>',
  '',
  '',
].join('\n');
