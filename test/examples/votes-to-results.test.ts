import { describe, expect, it } from 'vitest';
import type { Ranking } from '../../src/stats/rank.js';
import { ResultRecord } from '../../src/results/record.js';
import { verdict, verdictJson } from '../commands/helpers.js';
import { parseJsonl, runScript, tempFile, writeJsonl } from './helpers.js';

/** Joined votes as examples/mt-bench/join-votes.js writes them (only the fields the script reads, and a few more). */
function vote(id: string, a: string, b: string, human: string, gpt4: string, answers: [string, string] = ['a reply', 'another reply']) {
  return { id, question_id: 81, turn: 1, model_a: a, model_b: b, judge: 'expert_1', human_winner: human, gpt4_pair_winner: gpt4, question: 'q', answer_a: answers[0], answer_b: answers[1] };
}

describe('examples/mt-bench/votes-to-results.js', () => {
  it("writes one pairwise results record per vote, the voter's choice as the verdict, that verdict rank ranks", async () => {
    const votes = await writeJsonl(await tempFile('votes.jsonl'), [
      vote('1', 'alpha', 'beta', 'model_a', 'model_b'),
      vote('2', 'beta', 'alpha', 'model_b', 'tie (inconsistent)'),
      vote('3', 'alpha', 'gamma', 'tie', 'model_a'),
      vote('4', 'gamma', 'beta', 'model_a', 'model_a'),
      vote('5', 'beta', 'alpha', 'model_a', 'model_b'),
      vote('6', 'gamma', 'alpha', 'model_b', 'model_b'),
    ]);
    const out = await tempFile('human.jsonl');
    const run = await runScript('mt-bench/votes-to-results.js', [votes, '-o', out]);
    expect(run.code).toBe(0);
    const { readFile } = await import('node:fs/promises');
    const records = parseJsonl(await readFile(out, 'utf8')).map((record) => ResultRecord.parse(record));
    expect(records.map((record) => record.verdict)).toEqual(['A', 'B', 'tie', 'A', 'A', 'B']);
    expect(records[0]!.row).toMatchObject({ model_a: 'alpha', model_b: 'beta', answer_a: 'a reply' });

    const ranking = await verdictJson<Ranking>(['rank', out, '--baseline', 'beta', '--bootstrap', '0']);
    // alpha against beta: won 1 and 2, lost 5: 2 of 3.
    expect(ranking.systems.find((line) => line.system === 'alpha')!.win_rate).toBeCloseTo(2 / 3, 12);
    expect((await verdict(['rank', out, '--length-control', '--pair', 'answer_a,answer_b', '--bootstrap', '0'])).code).toBe(0);

    const gpt4 = await runScript('mt-bench/votes-to-results.js', [votes, '--winner', 'gpt4']);
    expect(parseJsonl(gpt4.stdout).map((record) => record.verdict)).toEqual(['B', 'tie', 'A', 'A', 'B', 'B']);
  });

  it('stops on a vote without a known winner, naming the file and line', async () => {
    const votes = await writeJsonl(await tempFile('votes.jsonl'), [vote('1', 'alpha', 'beta', 'model_a', 'model_a'), vote('2', 'alpha', 'beta', 'nobody', 'model_a')]);
    const run = await runScript('mt-bench/votes-to-results.js', [votes]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/votes\.jsonl:2: human_winner is "nobody", not model_a, model_b or tie/);
  });
});
