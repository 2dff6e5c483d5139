import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/prompt/load.js';
import { tempDir } from '../helpers/io.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { example, parseJsonl, runScript, statsOf, writeJsonl } from './helpers.js';

/**
 * A tiny MT-Bench folder in the shared data's layout: questions (two turns each), GPT-4 reference
 * answers for question 111, and the partial human votes with the model answers they are about.
 */
async function mtBenchFolder(options: { dropAnswer?: boolean } = {}): Promise<string> {
  const dir = await tempDir();
  await writeJsonl(path.join(dir, 'question.jsonl'), [
    { question_id: 81, category: 'writing', turns: ['Write a two-line poem about rain.', 'Now make it rhyme.'] },
    { question_id: 111, category: 'math', turns: ['What is 7 * 8?', 'And 7 * 9?'], reference: ['56', '63'] },
  ]);
  await writeJsonl(path.join(dir, 'reference_answer_gpt-4.jsonl'), [
    { question_id: 111, answer_id: 'x', model_id: 'gpt-4', choices: [{ index: 0, turns: ['7 * 8 = 56.', '7 * 9 = 63.'] }], tstamp: 1 },
  ]);
  const answers = [
    { question_id: 81, model: 'alpha', turns: ['Rain taps the glass / the street goes grey', 'Rain taps the pane / and falls again'] },
    { question_id: 81, model: 'beta', turns: ['Water.', 'Water, daughter.'] },
    { question_id: 111, model: 'alpha', turns: ['56', '63'] },
    { question_id: 111, model: 'beta', turns: ['54', '64'] },
  ];
  await writeJsonl(path.join(dir, 'human_judgments_partial', 'model_answers.jsonl'), options.dropAnswer ? answers.slice(1) : answers);
  await writeJsonl(path.join(dir, 'human_judgments_partial', 'judgments.jsonl'), [
    { question_id: 81, category: 'writing', turn: 1, model_a: 'alpha', model_b: 'beta', judge: 'expert_1', human_winner: 'model_a', gpt4_pair_winner: 'model_a' },
    { question_id: 81, category: 'writing', turn: 1, model_a: 'alpha', model_b: 'beta', judge: 'expert_2', human_winner: 'tie', gpt4_pair_winner: 'model_a' },
    { question_id: 111, category: 'math', turn: 1, model_a: 'beta', model_b: 'alpha', judge: 'author_1', human_winner: 'model_b', gpt4_pair_winner: 'tie (inconsistent)' },
    { question_id: 81, category: 'writing', turn: 2, model_a: 'alpha', model_b: 'beta', judge: 'expert_1', human_winner: 'model_a', gpt4_pair_winner: 'model_a' },
  ]);
  return dir;
}

describe('examples/mt-bench/join-votes.js', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mtBenchFolder();
  });

  it('joins each first-turn vote with its question and both answers', async () => {
    const { code, stdout, stderr } = await runScript('mt-bench/join-votes.js', [dir]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const rows = parseJsonl(stdout);
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual({
      id: '81-t1-alpha-beta-expert_1',
      question_id: 81,
      category: 'writing',
      turn: 1,
      model_a: 'alpha',
      model_b: 'beta',
      judge: 'expert_1',
      human_winner: 'model_a',
      gpt4_pair_winner: 'model_a',
      question: 'Write a two-line poem about rain.',
      answer_a: 'Rain taps the glass / the street goes grey',
      answer_b: 'Water.',
    });
    // model_a and model_b as the vote has them, whichever order that is.
    expect(rows[2]).toMatchObject({ question_id: 111, answer_a: '54', answer_b: '56', human_winner: 'model_b' });
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
  });

  it('--turn 2 gives the follow-up and each model\'s two replies; -o writes a file, making its folder', async () => {
    const out = path.join(dir, 'new', 'votes-turn2.jsonl');
    const { code, stderr } = await runScript('mt-bench/join-votes.js', [dir, '--turn', '2', '-o', out]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/1 turn-2 votes written to/);
    const rows = parseJsonl(await readFile(out, 'utf8'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      turn: 2,
      question: 'Write a two-line poem about rain.',
      question_2: 'Now make it rhyme.',
      answer_a: 'Rain taps the pane / and falls again',
      conversation_a: 'First reply:\nRain taps the glass / the street goes grey\n\nSecond reply:\nRain taps the pane / and falls again',
      conversation_b: 'First reply:\nWater.\n\nSecond reply:\nWater, daughter.',
    });
  });

  it('fails, naming the vote, when an answer it needs is missing', async () => {
    const broken = await mtBenchFolder({ dropAnswer: true });
    const { code, stdout, stderr } = await runScript('mt-bench/join-votes.js', [broken]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/judgments\.jsonl:1: no answer of alpha to question 81/);
  });

  it('the joined votes grade with the built-in pairwise prompt, and stats reads human_winner', async () => {
    const dataset = path.join(dir, 'votes.jsonl');
    expect((await runScript('mt-bench/join-votes.js', [dir, '-o', dataset])).code).toBe(0);
    const { records, stats, out } = await runAgainstEmulator({}, { prompt: 'pairwise', dataset, fields: ['input=question'], pair: 'answer_a,answer_b' });
    expect(stats.requests).toBe(6);
    expect(stats.log.some((e) => /Request:\nWhat is 7 \* 8\?\n\nAnswer A:\n54\n\nAnswer B:\n56/.test(e.prompt))).toBe(true);
    expect(records.every((r) => r.error === null)).toBe(true);
    const report = await statsOf(out, 'human_winner');
    // model_a → A, model_b → B, tie → tie: one human vote of each.
    expect(report.summary.agreement!.confusion!.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([1, 1, 1]);
  });

  it('the second-turn votes grade with examples/mt-bench/pairwise-turn2.md, which swaps whole conversations', async () => {
    const prompt = await loadPrompt(example('mt-bench/pairwise-turn2.md'));
    expect(prompt.settings).toMatchObject({ mode: 'pairwise', pair: { a: 'conversation_a', b: 'conversation_b' } });
    const dataset = path.join(dir, 'votes-turn2.jsonl');
    expect((await runScript('mt-bench/join-votes.js', [dir, '--turn', '2', '-o', dataset])).code).toBe(0);
    const { records, stats } = await runAgainstEmulator({}, { prompt: example('mt-bench/pairwise-turn2.md'), dataset });
    expect(stats.requests).toBe(2);
    const prompts = stats.log.map((e) => e.prompt);
    expect(prompts.some((p) => /User's follow-up:\nNow make it rhyme\.\n\nAssistant A's replies:\nFirst reply:\nRain taps the glass/.test(p))).toBe(true);
    expect(prompts.some((p) => /Assistant A's replies:\nFirst reply:\nWater\.\n\nSecond reply:\nWater, daughter\./.test(p))).toBe(true);
    expect(records[0]!.error).toBeNull();
  });
});

describe('examples/mt-bench/join-answers.js', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mtBenchFolder();
  });

  it('joins each answer with its question, and the GPT-4 reference where there is one', async () => {
    const { code, stdout } = await runScript('mt-bench/join-answers.js', [dir]);
    expect(code).toBe(0);
    const rows = parseJsonl(stdout);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toEqual({ id: '81-alpha', question_id: 81, category: 'writing', model: 'alpha', input: 'Write a two-line poem about rain.', output: 'Rain taps the glass / the street goes grey' });
    expect(rows[2]).toEqual({ id: '111-alpha', question_id: 111, category: 'math', model: 'alpha', input: 'What is 7 * 8?', output: '56', reference: '7 * 8 = 56.' });
  });

  it('splits by reference and filters by model', async () => {
    const ids = async (args: string[]) => parseJsonl((await runScript('mt-bench/join-answers.js', [dir, ...args])).stdout).map((r) => r.id);
    expect(await ids(['--with-reference'])).toEqual(['111-alpha', '111-beta']);
    expect(await ids(['--without-reference'])).toEqual(['81-alpha', '81-beta']);
    expect(await ids(['--model', 'beta'])).toEqual(['81-beta', '111-beta']);
    // Another file of answers in the same shape.
    const other = await writeJsonl(path.join(dir, 'other-answers.jsonl'), [{ question_id: 111, model: 'gamma', turns: ['56', '63'] }]);
    expect(await ids(['--answers', other])).toEqual(['111-gamma']);
    const unknown = await runScript('mt-bench/join-answers.js', [dir, '--model', 'gamma']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no answers of model "gamma".*models there: alpha, beta/);
  });

  it('rows grade with the built-in reference-guided and helpfulness prompts as they are', async () => {
    const withRef = path.join(dir, 'ref.jsonl');
    const open = path.join(dir, 'open.jsonl');
    expect((await runScript('mt-bench/join-answers.js', [dir, '--with-reference', '-o', withRef])).code).toBe(0);
    expect((await runScript('mt-bench/join-answers.js', [dir, '--without-reference', '-o', open])).code).toBe(0);

    const ref = await runAgainstEmulator({}, { prompt: 'reference-guided', dataset: withRef });
    expect(ref.records.map((r) => r.id).sort()).toEqual(['111-alpha', '111-beta']);
    expect(ref.records.every((r) => r.error === null && r.score !== null && r.score >= 1 && r.score <= 10)).toBe(true);
    expect(ref.stats.log.some((e) => /Reference answer \(correct\):\n7 \* 8 = 56\.\n\nAnswer to grade:\n54/.test(e.prompt))).toBe(true);

    // One model's answers, identified by question, as `verdict compare` pairs them.
    const beta = path.join(dir, 'beta.jsonl');
    expect((await runScript('mt-bench/join-answers.js', [dir, '--without-reference', '--model', 'beta', '-o', beta])).code).toBe(0);
    const help = await runAgainstEmulator({}, { prompt: 'helpfulness', dataset: beta, idField: 'question_id' });
    expect(help.records.map((r) => r.id)).toEqual(['81']);
    expect(help.records[0]!.error).toBeNull();
  });
});
