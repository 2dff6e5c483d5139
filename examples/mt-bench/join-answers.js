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
import { script } from '../lib/jsonl.js';
import { loadAnswers, loadQuestions, mtBenchFiles } from './lib.js';

const USAGE =
  'usage: node examples/mt-bench/join-answers.js <mt-bench dir> [--answers file] [--with-reference | --without-reference] [--model name]... [-o out.jsonl]';

const tool = script('join-answers', USAGE);
const { fail } = tool;

function parseArgs(argv) {
  const args = { dir: undefined, answers: undefined, reference: 'any', models: [], out: undefined };
  args.dir = tool.parseArgs(argv, (arg, next) => {
    const value = () => {
      const given = next();
      if (given === undefined || given.startsWith('-')) fail(`${arg} needs a value\n${USAGE}`);
      return given;
    };
    if (arg === '--with-reference' || arg === '--without-reference') {
      const wanted = arg === '--with-reference' ? 'with' : 'without';
      if (args.reference !== 'any' && args.reference !== wanted) fail(`--with-reference and --without-reference exclude each other\n${USAGE}`);
      args.reference = wanted;
    } else if (arg === '--model') {
      args.models.push(value());
    } else if (arg === '--answers') {
      args.answers = value();
    } else if (arg === '-o' || arg === '--out') {
      args.out = value();
    } else {
      return false;
    }
    return true;
  });
  return args;
}

const args = parseArgs(process.argv.slice(2));
const files = mtBenchFiles(args.dir, args.answers);

const questionOf = loadQuestions(tool, files.questions);
const references = new Map();
for (const { value, line } of tool.readJsonl(files.references)) {
  const first = value.choices?.[0]?.turns?.[0];
  if (typeof first !== 'string') fail(`${files.references}:${line}: no choices[0].turns[0]`);
  references.set(value.question_id, first);
}

const rows = [];
const seenModels = new Set();
for (const { value: answer, line } of loadAnswers(tool, files.answers).rows) {
  seenModels.add(answer.model);
  if (args.models.length > 0 && !args.models.includes(answer.model)) continue;
  const where = `${files.answers}:${line}`;
  const question = questionOf(answer.question_id, where);
  const reference = references.get(answer.question_id);
  if (args.reference === 'with' && reference === undefined) continue;
  if (args.reference === 'without' && reference !== undefined) continue;
  if (typeof answer.turns?.[0] !== 'string') fail(`${where}: the answer has no first turn`);
  rows.push({
    id: `${answer.question_id}-${answer.model}`,
    question_id: answer.question_id,
    category: question.category,
    model: answer.model,
    input: question.turns[0],
    output: answer.turns[0],
    ...(reference === undefined ? {} : { reference }),
  });
}
for (const model of args.models) {
  if (!seenModels.has(model)) fail(`no answers of model "${model}" in ${files.answers} (models there: ${[...seenModels].sort().join(', ')})`);
}

tool.writeJsonl(rows, args.out, (out) => `${rows.length} answers written to ${out}`);
