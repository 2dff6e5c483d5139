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
import path from 'node:path';
import { script } from '../lib/jsonl.js';

const USAGE = 'usage: node examples/pandalm/add-majority.js <results.jsonl> [--fields a,b,c] [-o out.jsonl]';

const tool = script('add-majority', USAGE);
const { fail } = tool;

function parseArgs(argv) {
  const args = { file: undefined, fields: ['annotator1', 'annotator2', 'annotator3'], out: undefined };
  args.file = tool.parseArgs(argv, (arg, next) => {
    if (arg === '--fields') {
      const given = next();
      if (!given) fail(`--fields needs a comma-separated list\n${USAGE}`);
      args.fields = given.split(',').map((field) => field.trim()).filter(Boolean);
      if (args.fields.length < 2) fail('--fields needs at least two fields');
    } else if (arg === '-o' || arg === '--out') {
      args.out = next();
      if (!args.out) fail(`${arg} needs a file\n${USAGE}`);
    } else {
      return false;
    }
    return true;
  });
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

const args = parseArgs(process.argv.slice(2));
const records = [];
let withMajority = 0;
for (const { value: record, line } of tool.eachJsonl(args.file)) {
  if (typeof record.row !== 'object' || record.row === null) fail(`${args.file}:${line}: not a verdict record (no "row")`);
  const majority = majorityOf(args.fields.map((field) => record.row[field]));
  if (majority !== null) withMajority += 1;
  records.push({ ...record, row: { ...record.row, majority } });
}

tool.writeJsonl(records, args.out, (out) => `${records.length} records written to ${out}, ${withMajority} with a majority`);
