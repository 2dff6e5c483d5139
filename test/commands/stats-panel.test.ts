import { describe, expect, it } from 'vitest';
import { computeAgreement } from '../../src/stats/judge-agreement.js';
import type { Summary } from '../../src/stats/summary.js';
import { runBin } from '../helpers/spawn.js';
import { useTempDir } from '../results/helpers.js';
import { PAIRWISE_PANEL, SCORE_PANEL } from '../stats/panel-fixtures.js';
import { writeResults } from './helpers.js';

const temp = useTempDir();
const BOOTSTRAP = { resamples: 200, seed: 1 };

async function stats(file: string, ...flags: string[]) {
  return runBin(['stats', file, '--label-field', 'human', '--bootstrap', String(BOOTSTRAP.resamples), '--seed', String(BOOTSTRAP.seed), ...flags]);
}

describe('verdict stats --label-field on a panel', () => {
  it("gives each judge's agreement with the labels beside the panel's, as computeAgreement gives them for its votes", async () => {
    const file = await writeResults(temp.path('panel.jsonl'), SCORE_PANEL);
    const { code, stdout, stderr } = await stats(file, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    // The panel's grade against the labels: r5 failed for every judge; 2.5 and 1.5 are not whole numbers.
    expect(summary.agreement).toMatchObject({ judge_field: 'score', scale: 'continuous', n: 4, skipped: { errors: 1 } });
    const judges = summary.panel!.judges;
    expect(judges.map((judge) => judge.judge)).toEqual(['judge-1', 'judge-2', 'judge-3']);
    const skipped = (errors: number) => ({ errors, no_label: 0, no_judge_value: 0 });
    const pairs = (judge: number[], human: number[], errors: number) => ({ labelField: 'human', judgeField: 'score', kind: 'numeric' as const, human, judge, skipped: skipped(errors) });
    expect(judges[0]!.agreement).toEqual(computeAgreement(pairs([4, 2, 5, 1], [4, 3, 5, 1], 1), BOOTSTRAP));
    expect(judges[1]!.agreement).toEqual(computeAgreement(pairs([4, 3, 5, 2], [4, 3, 5, 1], 1), BOOTSTRAP));
    // judge-3 failed on r2, r4 and r5: two rows left.
    expect(judges[2]!.agreement).toEqual(computeAgreement(pairs([5, 5], [4, 5], 3), BOOTSTRAP));
    // By hand: judge-1 has three of four rows right and ranks the rows as the labels do.
    expect(judges[0]!.agreement).toMatchObject({ scale: 'ordinal', n: 4, accuracy: 0.75, spearman: 1, kendall: 1 });
  });

  it('prints a table of the panel and each judge under the agreement, in text', async () => {
    const file = await writeResults(temp.path('panel.jsonl'), SCORE_PANEL);
    const { code, stdout } = await stats(file);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    const at = lines.findIndex((line) => line.startsWith('by judge'));
    expect(lines[at]).toBe('by judge  human (human) vs score; intervals in --json');
    expect(lines[at + 1]).toBe('                   n  accuracy  kappa  spearman  kendall  pearson');
    // The panel's scores 2.5 and 1.5 leave it correlations only; judge-3 scored 5 on both its rows.
    expect(lines[at + 2]).toMatch(/^ {10}panel    4         -      -     1\.000    1\.000    0\.\d{3}$/);
    expect(lines[at + 3]).toMatch(/^ {10}judge-1  4     75\.0%  0\.\d{3}     1\.000    1\.000    0\.\d{3}$/);
    expect(lines[at + 5]).toMatch(/^ {10}judge-3  2     50\.0%  [-0-9.]+ +- +- +-$/);
    // The run summary's panel block is there too.
    expect(stdout).toContain('2 rows decided by all, 2 by fewer, 1 by none');
  });

  it('compares a pairwise panel verdict by verdict', async () => {
    const file = await writeResults(temp.path('pairs.jsonl'), PAIRWISE_PANEL);
    const { code, stdout } = await stats(file, '--json');
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as Summary;
    // Labels A B A B. Panel A B tie B: 3 of 4; judge-1 A B tie A: 2 of 4; judge-3 B B - B: 2 of 3.
    expect(summary.agreement).toMatchObject({ judge_field: 'verdict', n: 4, accuracy: 0.75 });
    expect(summary.panel!.judges.map((judge) => [judge.agreement!.n, judge.agreement!.accuracy])).toEqual([
      [4, 0.5],
      [4, 1],
      [3, 2 / 3],
    ]);
    expect(summary.panel!.alpha.level).toBe('nominal');
  });
});
