#!/usr/bin/env node
// Adds the majority of PandaLM's three annotators to each record of a verdict results file, as
// row.majority, so that `verdict stats --label-field majority` compares the judge with it (PandaLM
// reports its figures against the majority). The records are otherwise unchanged. No dependencies
// beyond Node.
//
//   node examples/pandalm/add-majority.js results/pandalm.jsonl -o results/pandalm-majority.jsonl
//   npx verdict stats results/pandalm-majority.jsonl --label-field majority
//
// Each annotator field holds 0 (tie), 1 (response1 better) or 2 (response2 better). The majority is
// the value at least two of them gave; when all three differ, or an annotator field is missing,
// row.majority is null and verdict stats counts the row under "no label". --fields names other
// annotator fields (default annotator1,annotator2,annotator3). Reads JSONL results only.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const USAGE = 'usage: node examples/pandalm/add-majority.js <results.jsonl> [--fields a,b,c] [-o out.jsonl]';

function fail(message) {
  process.stderr.write(`add-majority: ${message}\n`);
  process.exit(1);
}

function parseArgs(argv) {
  const args = { file: undefined, fields: ['annotator1', 'annotator2', 'annotator3'], out: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fields') {
      const given = argv[++i];
      if (!given) fail(`--fields needs a comma-separated list\n${USAGE}`);
      args.fields = given.split(',').map((field) => field.trim()).filter(Boolean);
      if (args.fields.length < 2) fail('--fields needs at least two fields');
    } else if (arg === '-o' || arg === '--out') {
      args.out = argv[++i];
      if (!args.out) fail(`${arg} needs a file\n${USAGE}`);
    } else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else if (arg.startsWith('-') || args.file !== undefined) {
      fail(`unexpected argument "${arg}"\n${USAGE}`);
    } else {
      args.file = arg;
    }
  }
  if (args.file === undefined) fail(USAGE);
  if (args.out !== undefined && path.resolve(args.out) === path.resolve(args.file)) fail('write to another file than the one read (-o)');
  return args;
}

/** The value more than half of the annotators gave, or null. */
function majorityOf(values) {
  if (values.some((value) => value === undefined || value === null || value === '')) return null;
  const counts = new Map();
  for (const value of values) counts.set(String(value), (counts.get(String(value)) ?? 0) + 1);
  for (const [value, count] of counts) {
    if (count * 2 > values.length) return values.find((v) => String(v) === value);
  }
  return null;
}

process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const args = parseArgs(process.argv.slice(2));
let text;
try {
  text = readFileSync(args.file, 'utf8');
} catch (error) {
  fail(`cannot read ${args.file}: ${error.message}`);
}
const lines = [];
let withMajority = 0;
text.split('\n').forEach((line, i) => {
  if (line.trim() === '') return;
  let record;
  try {
    record = JSON.parse(line);
  } catch (error) {
    fail(`${args.file}:${i + 1}: not JSON (${error.message})`);
  }
  if (typeof record.row !== 'object' || record.row === null) fail(`${args.file}:${i + 1}: not a verdict record (no "row")`);
  const majority = majorityOf(args.fields.map((field) => record.row[field]));
  if (majority !== null) withMajority += 1;
  lines.push(JSON.stringify({ ...record, row: { ...record.row, majority } }));
});

const out = lines.length === 0 ? '' : `${lines.join('\n')}\n`;
if (args.out) {
  mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
  writeFileSync(args.out, out);
  process.stderr.write(`add-majority: ${lines.length} records written to ${args.out}, ${withMajority} with a majority\n`);
} else {
  process.stdout.write(out);
}
