import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ranking } from '../../src/stats/rank.js';
import type { ResultRecord } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord, useTempDir } from '../results/helpers.js';
import { runBin } from '../helpers/spawn.js';
import { verdict, verdictJson, writeResults } from './helpers.js';

// Written by test/fixtures/rank/make-fixtures.py: random battles and scikit-learn's ratings of them.
const REFERENCE: { bootstrap: { systems: number; baseline: number; battles: [number, number, number][]; elo: number[] } } = JSON.parse(
  readFileSync(new URL('../fixtures/rank/reference.json', import.meta.url), 'utf8'),
);
const NAMES = ['alpha', 'bravo', 'charlie', 'delta'];
const VERDICT_OF: Record<number, string> = { 1: 'A', 0.5: 'tie', 0: 'B' };

function battle(id: string, a: string, b: string, verdictText: string | null, answers: [string, string] = ['x', 'y']): ResultRecord {
  return makeRecord({ id, score: null, pass: null, scoring: null, verdict: verdictText, row: { model_a: a, model_b: b, output_a: answers[0], output_b: answers[1] } });
}

function fixtureRecords(): ResultRecord[] {
  return REFERENCE.bootstrap.battles.map(([a, b, score], i) => battle(`q${i}`, NAMES[a]!, NAMES[b]!, VERDICT_OF[score]!));
}

describe('verdict rank', () => {
  const tmp = useTempDir();

  it('rates the systems as scikit-learn does (to 1e-6 Elo), best first, with the baseline at 1000', async () => {
    const file = await writeResults(tmp.path('battles.jsonl'), fixtureRecords());
    const ranking = await verdictJson<Ranking>(['rank', file, '--baseline', 'alpha', '--bootstrap', '50']);
    expect(ranking.baseline).toBe('alpha');
    expect(ranking.battles).toBe(REFERENCE.bootstrap.battles.length);
    for (const line of ranking.systems) {
      expect(Math.abs(line.elo - REFERENCE.bootstrap.elo[NAMES.indexOf(line.system)]!)).toBeLessThan(1e-6);
    }
    const elos = ranking.systems.map((line) => line.elo);
    expect(elos).toEqual([...elos].sort((x, y) => y - x));
    expect(ranking.systems.map((line) => line.rank)).toEqual([1, 2, 3, 4]);
  });

  it('gives each system its share of wins against the baseline, ties as half, from the direct battles only', async () => {
    const records = [
      battle('1', 'new', 'base', 'A'),
      battle('2', 'new', 'base', 'tie'),
      battle('3', 'base', 'new', 'A'),
      battle('4', 'base', 'new', 'B'),
      battle('5', 'new', 'other', 'B'),
      battle('6', 'other', 'base', 'B'),
      battle('7', 'base', 'other', 'B'),
    ];
    const file = await writeResults(tmp.path('small.jsonl'), records);
    const ranking = await verdictJson<Ranking>(['rank', file, '--baseline', 'base', '--bootstrap', '0']);
    const line = ranking.systems.find((system) => system.system === 'new')!;
    // Won 1 and 4, tied 2, lost 3: 2.5 of 4.
    expect(line.win_rate).toBe(2.5 / 4);
    expect(line.vs_baseline).toBe(4);
    expect(line.battles).toBe(5);
    expect(line.win_rate_ci95).toBeNull();
    expect(ranking.systems.find((system) => system.system === 'base')!.win_rate).toBeNull();
  });

  it('draws the same intervals from the same seed, and others from another', async () => {
    const file = await writeResults(tmp.path('battles.jsonl'), fixtureRecords());
    const args = ['rank', file, '--baseline', 'alpha', '--bootstrap', '60'];
    const once = await verdictJson<Ranking>([...args, '--seed', '5']);
    const again = await verdictJson<Ranking>([...args, '--seed', '5']);
    const other = await verdictJson<Ranking>([...args, '--seed', '6']);
    expect(again).toEqual(once);
    const interval = (ranking: Ranking) => ranking.systems.find((line) => line.system === 'bravo')!.elo_ci95;
    expect(interval(once)).not.toBeNull();
    expect(interval(other)).not.toEqual(interval(once));
    const bravo = once.systems.find((line) => line.system === 'bravo')!;
    expect(bravo.elo_ci95![0]).toBeLessThan(bravo.elo);
    expect(bravo.elo_ci95![1]).toBeGreaterThan(bravo.elo);
  });

  it('counts records that decided nothing, and lets a later record of the same id and systems replace an earlier one', async () => {
    const records = [battle('1', 'a', 'b', 'A'), battle('2', 'a', 'b', 'B'), { ...makeErrorRecord('3', 'timeout'), row: { model_a: 'a', model_b: 'b' } }, battle('1', 'a', 'b', 'tie'), battle('4', 'a', 'a', 'A')];
    const file = await writeResults(tmp.path('mixed.jsonl'), records);
    const ranking = await verdictJson<Ranking>(['rank', file, '--baseline', 'b', '--bootstrap', '0']);
    expect([ranking.battles, ranking.undecided, ranking.self_battles, ranking.replaced]).toEqual([2, 1, 1, 1]);
    // a: tie (the replacement of its win) and a loss: 0.5 of 2.
    expect(ranking.systems.find((line) => line.system === 'a')!.win_rate).toBe(0.25);
  });

  it('with --length-control reads the answers named by --pair and gives the length-controlled win rate', async () => {
    const records = Array.from({ length: 40 }, (_, i) => {
      const [a, b] = i % 2 === 0 ? ['verbose', 'terse'] : ['terse', 'verbose'];
      const long = 'word '.repeat(50 + i);
      const short = 'word '.repeat(5 + (i % 7));
      // The longer answer wins 36 of 40; quality is otherwise the same.
      const longerWins = i % 10 !== 3;
      const verdictText = (a === 'verbose') === longerWins ? 'A' : 'B';
      return makeRecord({ id: `q${i}`, score: null, pass: null, scoring: null, verdict: verdictText, row: { sys_1: a, sys_2: b, text_1: a === 'verbose' ? long : short, text_2: a === 'verbose' ? short : long } });
    });
    const file = await writeResults(tmp.path('lengths.jsonl'), records);
    const ranking = await verdictJson<Ranking>(['rank', file, '--systems', 'sys_1,sys_2', '--pair', 'text_1,text_2', '--baseline', 'terse', '--length-control', '--bootstrap', '20']);
    const verbose = ranking.systems.find((line) => line.system === 'verbose')!;
    expect(verbose.win_rate).toBe(0.9);
    expect(verbose.length_controlled_win_rate).toBeTypeOf('number');
    expect(verbose.length_controlled_win_rate!).toBeLessThan(verbose.win_rate!);
    expect(ranking.length_coefficient).toBeGreaterThan(0);
  });

  it.each([
    [['--systems', 'judge_a,judge_b'], /battles\.jsonl:1 \(field "row\.judge_a"\): the row does not name its system here/],
    [['--baseline', 'zulu'], /--baseline zulu is not one of the systems: .*alpha/],
    [['--systems', 'model_a'], /--systems takes two field names/],
    [['--length-control', '--pair', 'missing_a,missing_b'], /battles\.jsonl:1 \(field "row\.missing_a"\): length control needs the answer as text here/],
  ])('stops with exit 2 and says why on bad input: %j', async (extra, message) => {
    const file = await writeResults(tmp.path('battles.jsonl'), fixtureRecords());
    const run = await verdict(['rank', file, '--bootstrap', '0', ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  it('refuses ratings that would be unbounded, naming the system that never lost', async () => {
    const file = await writeResults(tmp.path('unbeaten.jsonl'), [battle('1', 'champ', 'b', 'A'), battle('2', 'b', 'champ', 'B'), battle('3', 'b', 'c', 'tie'), battle('4', 'c', 'champ', 'B')]);
    const run = await verdict(['rank', file, '--bootstrap', '0']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/unbounded: champ won, or lost, every battle/);
  });

  it('prints a ranked table from the built bin', async () => {
    const file = await writeResults(tmp.path('battles.jsonl'), fixtureRecords());
    const run = await runBin(['rank', file, '--baseline', 'alpha', '--bootstrap', '30']);
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^#\s+system\s+elo\s+95% CI\s+win rate vs alpha/);
    const order = [...REFERENCE.bootstrap.elo.keys()].sort((x, y) => REFERENCE.bootstrap.elo[y]! - REFERENCE.bootstrap.elo[x]!).map((i) => NAMES[i]);
    expect(lines.slice(1, 5).map((line) => line.split(/\s+/)[1])).toEqual(order);
    expect(run.stdout).toMatch(/alpha\s+1000\s+baseline/);
    expect(run.stdout).toContain('intervals: 30 bootstrap resamples of the battles, seed 1');
  });
});
