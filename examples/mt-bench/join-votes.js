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
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const USAGE = 'usage: node examples/mt-bench/join-votes.js <mt-bench dir> [--turn 1|2] [-o out.jsonl]';

function fail(message) {
  process.stderr.write(`join-votes: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { dir: undefined, turn: 1, out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--turn') {
      const turn = Number(argv[++i]);
      if (turn !== 1 && turn !== 2) fail(`--turn takes 1 or 2\n${USAGE}`);
      args.turn = turn;
    } else if (arg === '-o' || arg === '--out') {
      args.out = argv[++i];
      if (!args.out) fail(`${arg} needs a file\n${USAGE}`);
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-') || args.dir !== undefined) {
      fail(`unexpected argument "${arg}"\n${USAGE}`);
    } else {
      args.dir = arg;
    }
  }
  if (args.dir === undefined) fail(USAGE);
  return args;
}

/** The objects of a JSONL file, each with its line number for messages. */
function readJsonl(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    fail(`cannot read ${file}: ${error.message}`);
  }
  const rows = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      rows.push({ value: JSON.parse(line), line: i + 1 });
    } catch (error) {
      fail(`${file}:${i + 1}: not JSON (${error.message})`);
    }
  });
  return rows;
}

// `| head` closing the pipe early is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = parseArgs(process.argv.slice(2));
const files = {
  questions: path.join(args.dir, 'question.jsonl'),
  votes: path.join(args.dir, 'human_judgments_partial', 'judgments.jsonl'),
  answers: path.join(args.dir, 'human_judgments_partial', 'model_answers.jsonl'),
};

const questions = new Map(readJsonl(files.questions).map(({ value }) => [value.question_id, value]));
const answers = new Map(readJsonl(files.answers).map(({ value }) => [`${value.question_id}\u0000${value.model}`, value]));

function answerOf(questionId, model, where) {
  const answer = answers.get(`${questionId}\u0000${model}`);
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

const lines = [];
for (const { value: vote, line } of readJsonl(files.votes)) {
  if (vote.turn !== args.turn) continue;
  const where = `${files.votes}:${line}`;
  const question = questions.get(vote.question_id);
  if (!question) fail(`${where}: question ${vote.question_id} is not in ${files.questions}`);
  if (typeof question.turns?.[args.turn - 1] !== 'string') fail(`${where}: question ${vote.question_id} has no turn ${args.turn}`);
  const a = answerOf(vote.question_id, vote.model_a, where);
  const b = answerOf(vote.question_id, vote.model_b, where);
  const row = {
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
  };
  lines.push(JSON.stringify(row));
}

const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
if (args.out) {
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(args.out, text);
  process.stderr.write(`join-votes: ${lines.length} turn-${args.turn} votes written to ${args.out}\n`);
} else {
  process.stdout.write(text);
}
