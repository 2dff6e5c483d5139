// Summarises a V8 sampling heap profile (.heapprofile, as bench/memory --alloc-profile writes it,
// with collected objects included): where the bytes a run allocates come from. Three views:
//   - by function: the allocating function itself (self size), like DevTools' "Bottom-up";
//   - by package: the same bytes added up per npm package, node internals or verdict's own files;
//   - by verdict frame: each sample charged to the innermost frame of verdict's own code on its
//     stack (dist/...), so a library's allocations count against the verdict call that asked for them.
// Sizes are V8's estimates from sampling (one sample per ~32 KB allocated), so read them as shares.
//
//   node bench/memory/alloc-top.js <file.heapprofile> [--top 25] [--root /work/main] [--json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { frameFile } from '../lib/frames.js';

const { values: flags, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    root: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..') },
    json: { type: 'boolean', default: false },
  },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/memory/alloc-top.js <file.heapprofile> [--top 25] [--root DIR] [--json]\n');
  process.exit(2);
}
const top = Number(flags.top);
const root = flags.root;
const profile = JSON.parse(readFileSync(positionals[0], 'utf8'));

const fileOf = (frame) => frameFile(frame, root);

function packageOf(file) {
  if (file === '') return '(native / V8)';
  if (file.startsWith('node:')) return 'node internals';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
  if (match) return match[1];
  if (file.startsWith('dist/') || file.startsWith('src/')) return 'verdict';
  return file;
}

const isVerdict = (frame) => {
  const file = fileOf(frame);
  return (file.startsWith('dist/') || file.startsWith('src/')) && !file.includes('node_modules');
};
const frameName = (frame) => `${frame.functionName || '(anonymous)'} ${fileOf(frame)}:${frame.lineNumber + 1}`;

const byFunction = new Map();
const byPackage = new Map();
const byVerdictFrame = new Map();
let total = 0;
const add = (map, key, bytes) => map.set(key, (map.get(key) ?? 0) + bytes);

// Walk the call tree, carrying the innermost verdict frame seen on the way down.
const stack = [{ node: profile.head, owner: '(no verdict frame: startup, timers, I/O callbacks)' }];
while (stack.length > 0) {
  const { node, owner: above } = stack.pop();
  const owner = isVerdict(node.callFrame) ? frameName(node.callFrame) : above;
  if (node.selfSize > 0) {
    total += node.selfSize;
    add(byFunction, frameName(node.callFrame), node.selfSize);
    add(byPackage, packageOf(fileOf(node.callFrame)), node.selfSize);
    add(byVerdictFrame, owner, node.selfSize);
  }
  for (const child of node.children ?? []) stack.push({ node: child, owner });
}

const ranked = (map) =>
  [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, bytes]) => ({ name, mb: bytes / 2 ** 20, share: bytes / total }));
const result = {
  totalMb: total / 2 ** 20,
  byPackage: ranked(byPackage),
  byVerdictFrame: ranked(byVerdictFrame),
  byFunction: ranked(byFunction),
};

if (flags.json) {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} else {
  const out = [`${positionals[0]}: ${result.totalMb.toFixed(0)} MB allocated (sampled estimate)`];
  for (const [title, rows] of [
    ['By package', result.byPackage],
    ['By the innermost verdict frame on the stack', result.byVerdictFrame],
    ['By allocating function', result.byFunction],
  ]) {
    out.push('', `${title}:`);
    for (const row of rows) out.push(`  ${row.mb.toFixed(1).padStart(8)} MB ${(row.share * 100).toFixed(1).padStart(5)}%  ${row.name}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
