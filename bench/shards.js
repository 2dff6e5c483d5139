// bench/shards: three shards of one run started at once against one key's limit, as a CI matrix
// starts them. Reproduces issue 16 item 4: 300 rows, `--shard 1/3 … 3/3` in three processes, one
// emulator at 600 requests per minute with a fixed latency and no --rpm given, so every shard
// learns the limit from the headers. Prints the wall time (first spawn to last exit) against the
// ideal 300 / 600 rpm = 30 s, and the share of requests the emulator answered 429.
//
//   npm run bench:shards -- [--bin path/to/bin/verdict.js] [--rows 300] [--rpm 600] [--latency 200] [--apart] [--json]
//
// --apart gives each process its own third of the rows as a dataset of its own and no --shard:
// unrelated processes on one key, which only the server's remaining headers and 429s can pace.
// --bin runs another build (say, the previous commit's, built in a scratch directory) for a
// before/after comparison against the same emulator. Exits 1 when a target is missed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startEmulator } from './lib/harness.js';
import { prng, words } from './lib/rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const ownBin = path.resolve(here, '../bin/verdict.js');
const log = (line) => process.stderr.write(`${line}\n`);

const { values: flags } = parseArgs({
  options: {
    bin: { type: 'string', default: ownBin },
    rows: { type: 'string', default: '300' },
    rpm: { type: 'string', default: '600' },
    latency: { type: 'string', default: '200' },
    shards: { type: 'string', default: '3' },
    apart: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const rows = Number(flags.rows);
const rpm = Number(flags.rpm);
const shards = Number(flags.shards);
const bin = path.resolve(flags.bin);
const targets = { ratio: 1.05, share429: 0.01 };

function sentence(random, count) {
  return Array.from({ length: count }, () => words[Math.floor(random() * words.length)]).join(' ');
}

async function writeDataset(file) {
  const random = prng(20261204);
  const lines = [];
  for (let i = 1; i <= rows; i++) {
    lines.push(JSON.stringify({ id: `r${i}`, input: `Question ${i}: ${sentence(random, 10)}?`, reference: sentence(random, 14), output: sentence(random, 14) }));
  }
  await writeFile(file, `${lines.join('\n')}\n`);
}

function runShard(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, OPENAI_API_KEY: 'bench-shards-dummy-key' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr, endedAt: performance.now() }));
  });
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-shards-'));
// The emulator in its own process (this repo's build), so its clock is not slowed by ours.
const emulator = await startEmulator(Number(flags.latency), ['--seed', '7', '--rpm', String(rpm)]);
try {
  const dataset = path.join(dir, 'dataset.jsonl');
  await writeDataset(dataset);
  const lines = (await readFile(dataset, 'utf8')).split('\n').filter(Boolean);
  const parts = Array.from({ length: shards }, (_, i) => path.join(dir, `part${i + 1}.jsonl`));
  if (flags.apart) for (const [i, part] of parts.entries()) await writeFile(part, `${lines.filter((_, n) => n % shards === i).join('\n')}\n`);
  const ideal = (rows / rpm) * 60;
  log(`bench/shards: node ${process.version}, ${os.availableParallelism()} cores; ${bin}`);
  log(`${rows} rows in ${shards} ${flags.apart ? 'processes without --shard' : 'shards'} at once, emulator --rpm ${rpm} --latency ${flags.latency}; ideal ${ideal.toFixed(1)} s`);
  const started = performance.now();
  const runs = await Promise.all(
    Array.from({ length: shards }, (_, i) => {
      const out = path.join(dir, `shard${i + 1}.jsonl`);
      const summary = path.join(dir, `shard${i + 1}-summary.json`);
      const rowsFrom = flags.apart ? ['-d', parts[i]] : ['-d', dataset, '--shard', `${i + 1}/${shards}`];
      const args = [bin, 'run', ...rowsFrom, '-p', 'correctness', '-o', out, '--summary', summary, '--force', '--quiet'];
      return runShard([...args, '--base-url', emulator.url]).then((run) => ({ ...run, out, summary }));
    }),
  );
  const wallS = (Math.max(...runs.map((r) => r.endedAt)) - started) / 1000;
  for (const run of runs) if (run.code !== 0 && run.code !== 3) throw new Error(`a shard exited ${run.code}\n${run.stderr}`);
  const ids = new Map();
  for (const run of runs) {
    for (const line of (await readFile(run.out, 'utf8')).split('\n').filter(Boolean)) {
      const record = JSON.parse(line);
      if (record.error === null) ids.set(record.id, (ids.get(record.id) ?? 0) + 1);
    }
  }
  // Each shard's own run time (its summary's wall_s): the wall time less process start-up.
  const runS = await Promise.all(runs.map(async (r) => JSON.parse(await readFile(r.summary, 'utf8')).wall_s));
  const stats = await emulator.stats();
  const answered429 = (stats.outcomes.rate_limited_by_budget ?? 0) + (stats.outcomes.rate_limit ?? 0);
  const result = {
    rows,
    rpm,
    shards,
    shardRows: await Promise.all(runs.map(async (r) => (await readFile(r.out, 'utf8')).split('\n').filter(Boolean).length)),
    wallS,
    runS,
    idealS: ideal,
    ratio: wallS / ideal,
    requests: stats.requests,
    // From the first request the emulator saw to the last: the pacing, without start-up and the last answer.
    serverSpanS: stats.log.length > 1 ? (stats.log.at(-1).at - stats.log[0].at) / 1000 : 0,
    answered429,
    share429: stats.requests === 0 ? 0 : answered429 / stats.requests,
    rowsLost: rows - ids.size,
    duplicated: [...ids.values()].filter((n) => n > 1).length,
  };
  const checks = [
    { what: `wall ≤ ${targets.ratio}× ideal`, ok: result.ratio <= targets.ratio, value: result.ratio.toFixed(3) },
    { what: `≤ ${targets.share429 * 100}% of requests 429`, ok: result.share429 <= targets.share429, value: `${(result.share429 * 100).toFixed(2)}%` },
    { what: 'every row graded exactly once', ok: result.rowsLost === 0 && result.duplicated === 0, value: `${result.rowsLost} lost, ${result.duplicated} twice` },
  ];
  if (flags.json) process.stdout.write(`${JSON.stringify({ result, checks }, null, 2)}\n`);
  else {
    process.stdout.write(
      `wall ${wallS.toFixed(1)} s (${result.ratio.toFixed(3)}× the ideal ${ideal.toFixed(1)} s; the shards' own runs ${runS.map((s) => s.toFixed(1)).join('/')} s), shards of ${result.shardRows.join('/')} rows, ` +
        `requests over ${result.serverSpanS.toFixed(1)} s, ` +
        `${result.requests} requests, ${answered429} answered 429 (${(result.share429 * 100).toFixed(1)}%), ${result.rowsLost} rows lost\n`,
    );
    for (const c of checks) process.stdout.write(`  ${c.ok ? 'met   ' : 'MISSED'} ${c.what} (measured ${c.value})\n`);
  }
  if (checks.some((c) => !c.ok)) process.exitCode = 1;
} finally {
  await emulator.stop();
  await rm(dir, { recursive: true, force: true });
}
