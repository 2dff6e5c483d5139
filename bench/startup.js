// bench/startup: how long verdict takes to start, against bare node on the same machine.
//
// Runs each command N times as a fresh process, alternating with `node -e 0` (so a busy moment
// hits both alike), and prints the median wall time of each, the difference, and whether it is
// within the target of issue 14: --help, --version and prompts within 60 ms of bare node, a dry
// run of a 20-row dataset within 250 ms. The targets are on wall time; the median CPU time of
// each (user + system, all threads, noted by a preload as the process exits) is printed beside
// it, as a figure that a busy machine disturbs less. The node is the one running this script
// (npm scripts use the pinned one in node_modules/.bin).
//
//   npm run bench:startup -- [--runs 10] [--json]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin/verdict.js');
const cpuAtExit = ['--import', path.join(repo, 'bench/startup/cpu-at-exit.js')];

const { values: flags } = parseArgs({ options: { runs: { type: 'string', default: '10' }, json: { type: 'boolean', default: false } } });
const runs = Number(flags.runs);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write(`bench/startup: --runs must be a positive integer, got ${JSON.stringify(flags.runs)}\n`);
  process.exit(2);
}

const commands = [
  { name: 'verdict --help', args: ['--help'], targetMs: 60 },
  { name: 'verdict --version', args: ['--version'], targetMs: 60 },
  { name: 'verdict prompts', args: ['prompts'], targetMs: 60 },
  { name: 'verdict run --dry-run (20 rows)', args: ['run', '--dry-run', '-d', path.join(repo, 'datasets/qa.jsonl'), '-p', 'correctness'], targetMs: 250 },
];

/** Wall and CPU time of one process, start to exit, in ms; a failure stops the bench. */
function timed(args) {
  const started = process.hrtime.bigint();
  // No key and no base URL from this shell: nothing here may reach a server.
  const result = spawnSync(process.execPath, [...cpuAtExit, ...args], { cwd: repo, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    process.stderr.write(`bench/startup: node ${args.join(' ')} exited ${result.status}\n${result.stderr}`);
    process.exit(1);
  }
  return { wallMs, cpuMs: Number(result.output[3].toString()) };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

// One unmeasured start of each, so the page cache holds node, dist/ and node_modules.
timed(['-e', '0']);
for (const command of commands) timed([bin, ...command.args]);

const results = commands.map((command) => {
  const node = [];
  const verdict = [];
  for (let i = 0; i < runs; i++) {
    node.push(timed(['-e', '0']));
    verdict.push(timed([bin, ...command.args]));
  }
  const nodeMs = median(node.map((t) => t.wallMs));
  const verdictMs = median(verdict.map((t) => t.wallMs));
  const nodeCpuMs = median(node.map((t) => t.cpuMs));
  const verdictCpuMs = median(verdict.map((t) => t.cpuMs));
  return {
    command: command.name,
    nodeMs,
    verdictMs,
    overMs: verdictMs - nodeMs,
    targetMs: command.targetMs,
    met: verdictMs - nodeMs <= command.targetMs,
    nodeCpuMs,
    verdictCpuMs,
    overCpuMs: verdictCpuMs - nodeCpuMs,
  };
});

if (flags.json) {
  process.stdout.write(`${JSON.stringify({ node: process.version, cores: os.availableParallelism(), runs, results }, null, 2)}\n`);
} else {
  const out = [`node ${process.version}, ${os.availableParallelism()} cores, load ${os.loadavg()[0].toFixed(2)}; median of ${runs} runs each`, ''];
  out.push('| command | median ms | bare node ms | difference ms | target | met | CPU ms (node) | CPU difference ms |');
  out.push('|---|---:|---:|---:|---:|---|---:|---:|');
  for (const r of results) {
    const cpu = `${r.verdictCpuMs.toFixed(0)} (${r.nodeCpuMs.toFixed(0)}) | ${r.overCpuMs.toFixed(0)}`;
    out.push(`| ${r.command} | ${r.verdictMs.toFixed(0)} | ${r.nodeMs.toFixed(0)} | ${r.overMs.toFixed(0)} | ≤ ${r.targetMs} | ${r.met ? 'yes' : 'NO'} | ${cpu} |`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
