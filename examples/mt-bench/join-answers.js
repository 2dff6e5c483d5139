#!/usr/bin/env node
// Joins MT-Bench model answers with their questions (and, for questions 101-130, GPT-4's reference
// answers), one JSONL row per answer, for single-answer grading with verdict's built-in
// `helpfulness` (1-10) and `reference-guided` (1-10 against a reference) prompts. First turn only.
// No dependencies beyond Node.
//
//   node examples/mt-bench/join-answers.js ../shared/data/mt-bench --without-reference > mt-bench-open.jsonl
//   node examples/mt-bench/join-answers.js ../shared/data/mt-bench --with-reference > mt-bench-ref.jsonl
//   node examples/mt-bench/join-answers.js ../shared/data/mt-bench --model vicuna-13b-v1.2 -o vicuna.jsonl
//
// Reads <dir>/question.jsonl, <dir>/reference_answer_gpt-4.jsonl and the answers in
// <dir>/human_judgments_partial/model_answers.jsonl (or the file given with --answers, in the same
// {question_id, model, turns} shape). Each row: id ("<question_id>-<model>"), question_id, category,
// model, input (the question's first turn), output (the model's first reply), and reference (GPT-4's
// first-turn reference answer) when the question has one.
//   --with-reference     only the questions with a reference (101-130: reasoning, math, coding)
//   --without-reference  only the others
//   --model <name>       only this model's answers (repeatable)
// An answer to a question that is not in question.jsonl is an error (exit 1).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const USAGE =
  'usage: node examples/mt-bench/join-answers.js <mt-bench dir> [--answers file] [--with-reference | --without-reference] [--model name]... [-o out.jsonl]';

function fail(message) {
  process.stderr.write(`join-answers: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { dir: undefined, answers: undefined, reference: 'any', models: [], out: undefined };
  const value = (i, flag) => {
    const given = argv[i];
    if (given === undefined || given.startsWith('-')) fail(`${flag} needs a value\n${USAGE}`);
    return given;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--with-reference' || arg === '--without-reference') {
      const wanted = arg === '--with-reference' ? 'with' : 'without';
      if (args.reference !== 'any' && args.reference !== wanted) fail(`--with-reference and --without-reference exclude each other\n${USAGE}`);
      args.reference = wanted;
    } else if (arg === '--model') {
      args.models.push(value(++i, arg));
    } else if (arg === '--answers') {
      args.answers = value(++i, arg);
    } else if (arg === '-o' || arg === '--out') {
      args.out = value(++i, arg);
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
  references: path.join(args.dir, 'reference_answer_gpt-4.jsonl'),
  answers: args.answers ?? path.join(args.dir, 'human_judgments_partial', 'model_answers.jsonl'),
};

const questions = new Map(readJsonl(files.questions).map(({ value }) => [value.question_id, value]));
const references = new Map();
for (const { value, line } of readJsonl(files.references)) {
  const first = value.choices?.[0]?.turns?.[0];
  if (typeof first !== 'string') fail(`${files.references}:${line}: no choices[0].turns[0]`);
  references.set(value.question_id, first);
}

const lines = [];
const seenModels = new Set();
for (const { value: answer, line } of readJsonl(files.answers)) {
  seenModels.add(answer.model);
  if (args.models.length > 0 && !args.models.includes(answer.model)) continue;
  const where = `${files.answers}:${line}`;
  const question = questions.get(answer.question_id);
  if (!question) fail(`${where}: question ${answer.question_id} is not in ${files.questions}`);
  const reference = references.get(answer.question_id);
  if (args.reference === 'with' && reference === undefined) continue;
  if (args.reference === 'without' && reference !== undefined) continue;
  if (typeof answer.turns?.[0] !== 'string') fail(`${where}: the answer has no first turn`);
  lines.push(
    JSON.stringify({
      id: `${answer.question_id}-${answer.model}`,
      question_id: answer.question_id,
      category: question.category,
      model: answer.model,
      input: question.turns[0],
      output: answer.turns[0],
      ...(reference === undefined ? {} : { reference }),
    }),
  );
}
for (const model of args.models) {
  if (!seenModels.has(model)) fail(`no answers of model "${model}" in ${files.answers} (models there: ${[...seenModels].sort().join(', ')})`);
}

const text = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
if (args.out) {
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(args.out, text);
  process.stderr.write(`join-answers: ${lines.length} answers written to ${args.out}\n`);
} else {
  process.stdout.write(text);
}
