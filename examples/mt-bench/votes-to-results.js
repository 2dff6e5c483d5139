#!/usr/bin/env node
// Turns joined MT-Bench votes (examples/mt-bench/join-votes.js) into verdict pairwise results
// records, one per vote, with the voter's choice as the verdict, so that `verdict rank` ranks the
// six models from the experts' votes (docs/panels.md). No dependencies beyond Node.
//
//   node examples/mt-bench/join-votes.js ../shared/data/mt-bench -o votes-t1.jsonl
//   node examples/mt-bench/join-votes.js ../shared/data/mt-bench --turn 2 -o votes-t2.jsonl
//   node examples/mt-bench/votes-to-results.js votes-t1.jsonl -o human-t1.jsonl
//   verdict rank human-t1.jsonl human-t2.jsonl --baseline gpt-3.5-turbo --length-control
//
// --winner human (default) takes human_winner; --winner gpt4 takes GPT-4's own pairwise verdict
// (gpt4_pair_winner; "tie (inconsistent)", where its two orders disagreed, is a tie). The record's
// row keeps the vote's fields with answer_a / answer_b, the replies of the voted turn, whose
// lengths --length-control reads (--pair answer_a,answer_b). A vote without a known winner is an
// error (exit 1), never a silently dropped row.
import { script } from '../lib/jsonl.js';

const USAGE = 'usage: node examples/mt-bench/votes-to-results.js <joined votes.jsonl> [--winner human|gpt4] [-o out.jsonl]';
const tool = script('votes-to-results', USAGE);
const { fail } = tool;

const args = { winner: 'human', out: undefined };
const input = tool.parseArgs(process.argv.slice(2), (arg, next) => {
  if (arg === '--winner') {
    args.winner = next();
    if (args.winner !== 'human' && args.winner !== 'gpt4') fail(`--winner takes human or gpt4\n${USAGE}`);
  } else if (arg === '-o' || arg === '--out') {
    args.out = next();
    if (!args.out) fail(`${arg} needs a file\n${USAGE}`);
  } else {
    return false;
  }
  return true;
});

const VERDICTS = { model_a: 'A', model_b: 'B', tie: 'tie', 'tie (inconsistent)': 'tie' };
const field = args.winner === 'human' ? 'human_winner' : 'gpt4_pair_winner';
const judge = args.winner === 'human' ? 'mt-bench-experts' : 'gpt-4 (mt-bench)';

const records = [];
for (const { value: vote, line } of tool.readJsonl(input)) {
  const verdict = VERDICTS[vote[field]];
  if (verdict === undefined) fail(`${input}:${line}: ${field} is ${JSON.stringify(vote[field])}, not model_a, model_b or tie`);
  for (const name of ['model_a', 'model_b', 'answer_a', 'answer_b']) {
    if (typeof vote[name] !== 'string') fail(`${input}:${line}: the vote has no ${name} (join the votes with examples/mt-bench/join-votes.js)`);
  }
  records.push({
    id: vote.id,
    score: null,
    pass: null,
    verdict,
    label: null,
    criteria: null,
    reasoning: null,
    samples: null,
    agreement: null,
    flipped: null,
    scoring: null,
    error: null,
    judge: { model: judge, prompt: 'mt-bench-votes', prompt_sha: 'none' },
    attempts: 0,
    latency_ms: 0,
    usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 },
    row: vote,
  });
}

tool.writeJsonl(records, args.out, (out) => `${records.length} ${args.winner} votes written to ${out} as pairwise results`);
