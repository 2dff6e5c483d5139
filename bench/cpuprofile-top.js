// Lists where a V8 CPU profile (node --cpu-prof) spent its time: the top functions by self time,
// and the share of total time under each package or project directory (inclusive of callees
// only within that group's own frames, i.e. summed self time per group).
//
//   node bench/cpuprofile-top.js <file.cpuprofile> [--top 25] [--root /work/main]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { frameFile } from './lib/frames.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    top: { type: 'string', default: '25' },
    root: { type: 'string', default: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..') },
  },
});
if (positionals.length !== 1) {
  process.stderr.write('usage: node bench/cpuprofile-top.js <file.cpuprofile> [--top N] [--root DIR]\n');
  process.exit(2);
}
const top = Number(values.top);
const root = values.root;
const profile = JSON.parse(await readFile(positionals[0], 'utf8'));

// Self time per node: V8 samples name the leaf node; timeDeltas give each sample's duration.
const selfUs = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i];
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const where = (frame) => frameFile(frame, root);

/** The package or project directory a frame belongs to, for the per-group summary. */
function group(frame) {
  const url = where(frame);
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: internals';
  const nm = url.lastIndexOf('node_modules/');
  if (nm !== -1) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
  }
  const parts = url.split('/');
  return parts.length > 2 ? parts.slice(0, 2).join('/') : url;
}

const byFunction = new Map();
const byGroup = new Map();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (us === 0) continue;
  const frame = node.callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}${frame.url ? `:${frame.lineNumber + 1}` : ''}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  const g = group(frame);
  byGroup.set(g, (byGroup.get(g) ?? 0) + us);
}

const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)} %`;
const ms = (us) => `${(us / 1000).toFixed(0).padStart(6)} ms`;
const lines = [`${positionals[0]}: ${(total / 1000).toFixed(0)} ms sampled`, '', 'self time by group:'];
for (const [g, us] of [...byGroup].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} ${ms(us)}  ${g}`);
lines.push('', `top ${top} functions by self time:`);
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${pct(us)} ${ms(us)}  ${key}`);
process.stdout.write(`${lines.join('\n')}\n`);
