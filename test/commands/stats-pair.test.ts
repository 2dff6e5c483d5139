import { describe, expect, it } from 'vitest';
import type { Summary } from '../../src/stats/summary.js';
import { makeRecord, useTempDir } from '../results/helpers.js';
import { verdict, verdictJson, writeResults } from './helpers.js';

describe('verdict stats --pair', () => {
  const tmp = useTempDir();
  const records = [
    makeRecord({ id: '1', score: null, pass: null, scoring: null, verdict: 'A', row: { ans1: 'a longer answer', ans2: 'short' } }),
    makeRecord({ id: '2', score: null, pass: null, scoring: null, verdict: 'A', row: { ans1: 'short', ans2: 'a longer answer' } }),
    makeRecord({ id: '3', score: null, pass: null, scoring: null, verdict: 'B', row: { ans1: 'short', ans2: 'a longer answer' } }),
  ];

  it('reads the answers from the fields it names, for a file without a manifest', async () => {
    const file = await writeResults(tmp.path('imported.jsonl'), records);
    const withPair = await verdictJson<Summary>(['stats', file, '--pair', 'ans1,ans2']);
    // Longer won 1 and 3, not 2.
    expect(withPair.pairwise).toMatchObject({ longer_wins: 2 / 3, longer_wins_n: 3, first_shown_wins: 2 / 3, first_shown_wins_n: 3 });
    const without = await verdictJson<Summary>(['stats', file]);
    expect(without.pairwise).toMatchObject({ longer_wins: null, longer_wins_n: 0 });
  });

  it('refuses a --pair that is not two different fields', async () => {
    const file = await writeResults(tmp.path('imported.jsonl'), records);
    const run = await verdict(['stats', file, '--pair', 'ans1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--pair takes two different field names');
  });
});
