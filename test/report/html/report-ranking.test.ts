// `verdict report` on pairwise results whose rows name the two systems: the Ranking section holds
// what `verdict rank --json` prints for the same file (both run as built binaries).
import { readFile, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/html/build-report.js';
import type { Ranking } from '../../../src/stats/rank.js';
import { makeRecord, useTempDir } from '../../results/helpers.js';
import { runBin } from '../../helpers/spawn.js';
import { battle, embeddedData, tournament, writeResults } from './helpers.js';

async function rankJson(args: string[]): Promise<Ranking> {
  const run = await runBin(['rank', ...args, '--json']);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as Ranking;
}

const report = (args: string[]) => runBin(['report', ...args]);

describe('verdict report: the Ranking section', () => {
  const tmp = useTempDir();

  it('ranks the systems of pairwise rows by model_a, model_b exactly as verdict rank --json does: order, ratings, intervals, win rates', async () => {
    const file = await writeResults(tmp.path('battles.jsonl'), tournament());
    const out = tmp.path('report.html');
    const run = await report([file, '-o', out]);
    expect(run.stderr).toMatch(/^report: .*report\.html/);
    expect(run.code).toBe(0);
    const expected = await rankJson([file]);
    const { ranking, ranking_notes } = embeddedData(await readFile(out, 'utf8')).runs[0]!;
    expect(ranking).toEqual(expected);
    // The table's rows, best first, with the seeded bootstrap's intervals (rank's default: 1000 resamples, seed 1).
    expect(ranking!.systems.map((line) => line.system)).toEqual(expected.systems.map((line) => line.system));
    expect(ranking!.systems.map((line) => line.rank)).toEqual([1, 2, 3, 4]);
    expect(ranking!.bootstrap).toEqual({ resamples: 1000, seed: 1 });
    for (const line of ranking!.systems.filter((line) => line.system !== ranking!.baseline)) {
      expect(line.elo_ci95![0]).toBeLessThan(line.elo);
      expect(line.elo_ci95![1]).toBeGreaterThan(line.elo);
      expect(line.win_rate_ci95).not.toBeNull();
    }
    expect(ranking_notes).toEqual([
      '120 battles; intervals: 1,000 bootstrap resamples of the battles, seed 1',
      'elo: Bradley-Terry, 400 points = 10:1 odds, baseline at 1000; win rate: ties count half',
    ]);
  });

  it('takes the systems from --systems and rates against --baseline, as verdict rank does with them', async () => {
    const fields = { a: 'sys_1', b: 'sys_2' };
    const file = await writeResults(tmp.path('named.jsonl'), tournament(fields));
    const out = tmp.path('named.html');
    expect((await report([file, '-o', out, '--systems', 'sys_1,sys_2', '--baseline', 'bravo', '--quiet'])).code).toBe(0);
    const expected = await rankJson([file, '--systems', 'sys_1,sys_2', '--baseline', 'bravo']);
    const { ranking } = embeddedData(await readFile(out, 'utf8')).runs[0]!;
    expect(ranking).toEqual(expected);
    expect(ranking!.baseline).toBe('bravo');
  });

  it('has no Ranking section, and no error, for results that are not pairwise or whose rows do not name their systems', async () => {
    const unnamed = tournament().map((record) => ({ ...record, row: { output_a: 'x', output_b: 'y' } }));
    const scored = [makeRecord({ id: 'q1', row: { model_a: 'alpha', model_b: 'bravo', input: 'i', output: 'o' } }), makeRecord({ id: 'q2', score: 2, pass: false })];
    for (const [name, records] of [['unnamed.jsonl', unnamed], ['scored.jsonl', scored]] as const) {
      const file = await writeResults(tmp.path(name), records);
      const out = tmp.path(`${name}.html`);
      const run = await report([file, '-o', out, '--quiet']);
      expect(run, name).toEqual({ code: 0, stdout: '', stderr: '' });
      const view = embeddedData(await readFile(out, 'utf8')).runs[0]!;
      expect(view.ranking).toBeNull();
      expect(view.ranking_notes).toEqual([]);
    }
  });

  it('with --systems naming fields the rows lack, exits 2 naming the file, line and field, and writes nothing', async () => {
    const file = await writeResults(tmp.path('battles.jsonl'), tournament());
    const out = tmp.path('report.html');
    const run = await report([file, '-o', out, '--systems', 'judge_a,judge_b']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/battles\.jsonl:1 \(field "row\.judge_a"\): the row does not name its system here/);
    await expect(stat(out)).rejects.toThrow();
    await expect(stat(`${out}.partial`)).rejects.toThrow();
  });

  it.each([
    [['--baseline', 'zulu'], /--baseline zulu is not one of the systems: .*alpha/],
    [['--systems', 'model_a'], /--systems takes two field names/],
  ])('stops with exit 2 on a bad ranking flag, as verdict rank does: %j', async (extra, message) => {
    const file = await writeResults(tmp.path('battles.jsonl'), tournament());
    const out = tmp.path('report.html');
    const run = await report([file, '-o', out, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    await expect(stat(out)).rejects.toThrow();
  });

  it('says why a pairwise file that names its systems is not ranked, unless a ranking was asked for', async () => {
    // champ never loses: its rating has no finite maximum.
    const records = [battle('1', 'champ', 'b', 'A'), battle('2', 'b', 'champ', 'B'), battle('3', 'b', 'c', 'tie'), battle('4', 'c', 'champ', 'B')];
    const file = await writeResults(tmp.path('unbeaten.jsonl'), records);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.ranking).toBeNull();
    expect(data.runs[0]!.ranking_notes).toEqual([expect.stringMatching(/^No ranking: the ratings are unbounded: champ won, or lost, every battle/)]);
    const asked = await report([file, '-o', tmp.path('asked.html'), '--baseline', 'b']);
    expect(asked.code).toBe(2);
    expect(asked.stderr).toMatch(/unbounded: champ won, or lost, every battle/);
  });

  it('ranks each of two files compared on its own', async () => {
    const a = await writeResults(tmp.path('a.jsonl'), tournament());
    const b = await writeResults(tmp.path('b.jsonl'), tournament().map((record) => ({ ...record, row: { output_a: 'x', output_b: 'y' } })));
    const { data } = await buildReport([{ file: a }, { file: b }]);
    expect(data.runs[0]!.ranking?.systems).toHaveLength(4);
    expect(data.runs[1]!.ranking).toBeNull();
  });
});
