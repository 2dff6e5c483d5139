#!/usr/bin/env node
// Joins the MT-Bench human votes with the questions and the answers they are about, one JSONL row
// per vote, for `verdict run` to grade pairwise and `verdict stats --label-field human_winner` to
// compare with the voters. No dependencies beyond Node.
//
//   node examples/mt-bench/join-votes.js ../shared/data/mt-bench > mt-bench-votes.jsonl
//   node examples/mt-bench/join-votes.js ../shared/data/mt-bench --turn 2 -o mt-bench-votes-turn2.jsonl
//
// Reads <dir>/question.jsonl, <dir>/human_judgments_partial/judgments.jsonl and
// <dir>/human_judgments_partial/model_answers.jsonl. Each row holds the vote's ids (question_id,
// category, turn, model_a, model_b, judge), the human_winner (model_a | model_b | tie), GPT-4's own
// pairwise verdict (gpt4_pair_winner) and the texts:
//   --turn 1 (default): question (the first user turn), answer_a, answer_b (each model's first reply);
//   --turn 2: also question_2 (the follow-up), and conversation_a, conversation_b: each model's
//             two replies, for examples/mt-bench/pairwise-turn2.md.
// A vote whose question or answer is missing is an error (exit 1), never a silently dropped row.
import { script } from '../lib/jsonl.js';
import { loadAnswers, loadQuestions, mtBenchFiles } from './lib.js';

const USAGE = 'usage: node examples/mt-bench/join-votes.js <mt-bench dir> [--turn 1|2] [-o out.jsonl]';

const tool = script('join-votes', USAGE);
const { fail } = tool;

function parseArgs(argv) {
  const args = { dir: undefined, turn: 1, out: undefined };
  args.dir = tool.parseArgs(argv, (arg, next) => {
    if (arg === '--turn') {
      const turn = Number(next());
      if (turn !== 1 && turn !== 2) fail(`--turn takes 1 or 2\n${USAGE}`);
      args.turn = turn;
    } else if (arg === '-o' || arg === '--out') {
      args.out = next();
      if (!args.out) fail(`${arg} needs a file\n${USAGE}`);
    } else {
      return false;
    }
    return true;
  });
  return args;
}

const args = parseArgs(process.argv.slice(2));
const files = mtBenchFiles(args.dir);
const questionOf = loadQuestions(tool, files.questions);
const answers = loadAnswers(tool, files.answers);

function answerOf(questionId, model, where) {
  const answer = answers.find(questionId, model);
  if (!answer) fail(`${where}: no answer of ${model} to question ${questionId} in ${files.answers}`);
  if (!Array.isArray(answer.turns) || typeof answer.turns[args.turn - 1] !== 'string') {
    fail(`${where}: the answer of ${model} to question ${questionId} has no turn ${args.turn}`);
  }
  return answer.turns;
}

/** Both replies of one model, labelled, as the second-turn prompt shows them. */
function conversation(turns) {
  return `First reply:\n${turns[0]}\n\nSecond reply:\n${turns[1]}`;
}

const rows = [];
for (const { value: vote, line } of tool.readJsonl(files.votes)) {
  if (vote.turn !== args.turn) continue;
  const where = `${files.votes}:${line}`;
  const question = questionOf(vote.question_id, where);
  if (typeof question.turns?.[args.turn - 1] !== 'string') fail(`${where}: question ${vote.question_id} has no turn ${args.turn}`);
  const a = answerOf(vote.question_id, vote.model_a, where);
  const b = answerOf(vote.question_id, vote.model_b, where);
  rows.push({
    id: `${vote.question_id}-t${vote.turn}-${vote.model_a}-${vote.model_b}-${vote.judge}`,
    question_id: vote.question_id,
    category: vote.category ?? question.category,
    turn: vote.turn,
    model_a: vote.model_a,
    model_b: vote.model_b,
    judge: vote.judge,
    human_winner: vote.human_winner,
    gpt4_pair_winner: vote.gpt4_pair_winner ?? null,
    question: question.turns[0],
    ...(args.turn === 2
      ? { question_2: question.turns[1], answer_a: a[1], answer_b: b[1], conversation_a: conversation(a), conversation_b: conversation(b) }
      : { answer_a: a[0], answer_b: b[0] }),
  });
}

tool.writeJsonl(rows, args.out, (out) => `${rows.length} turn-${args.turn} votes written to ${out}`);
