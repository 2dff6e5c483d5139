// bench/overhead: what verdict costs on top of the API calls themselves.
//
// Grades a generated JSONL dataset against the bundled emulator answering with zero latency, so
// the client is the bottleneck, and compares `verdict run` with the plain loop of a typical blog
// post (a semaphore around the openai SDK, writing JSONL: bench/overhead/naive-child.js), in the
// same run against the same emulator, at concurrency 8 and 16. Each measurement is a fresh child
// process; the two clients alternate which goes first from round to round. Targets (issue 14):
// verdict's throughput >= 0.9x the loop's, its CPU time <= 1.2x, its peak RSS <= 1.1x.
//
//   npm run bench:overhead -- [--rows 5000] [--concurrency 8,16] [--rounds 3] [--latency 0]
//                             [--cpu-prof <dir>] [--dist <dir>] [--keep] [--json]
//
// --cpu-prof DIR writes a CPU profile of every measured child into DIR (figures are then slower);
// `node bench/cpuprofile-top.js DIR/<name>.cpuprofile` lists where its time went.
// --dist DIR measures another build of verdict (e.g. a copy of dist/ from before a change).
// See bench/README.md, "overhead".
import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { BenchFailure, checkResults, CLIENTS, fail, median, runClient, startEmulator } from './lib/harness.js';
import { makeRow, prng } from './lib/rows.js';

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '8,16' },
    rounds: { type: 'string', default: '3' },
    latency: { type: 'string', default: '0' },
    'cpu-prof': { type: 'string' },
    dist: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const rows = count('--rows', flags.rows, 1);
const concurrencies = flags.concurrency.split(',').map((text) => count('--concurrency', text.trim(), 1));
const rounds = count('--rounds', flags.rounds, 1);
const latency = count('--latency', flags.latency, 0);
const cpuProfDir = flags['cpu-prof'] === undefined ? undefined : path.resolve(flags['cpu-prof']);
const verdictCli = flags.dist === undefined ? '' : pathToFileURL(path.resolve(flags.dist, 'cli.js')).href;

function count(name, text, min) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= min) return n;
  // Nothing has started yet, so exiting here leaves nothing behind.
  process.stderr.write(`bench/overhead: ${name} must be an integer >= ${min}, got ${JSON.stringify(text)}\n`);
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);
const targets = { throughput: 0.9, cpu: 1.2, peakRss: 1.1 };

async function writeDataset(file, n) {
  const random = prng(20261125);
  const lines = Array.from({ length: n }, (_, i) => JSON.stringify(makeRow(i, random)));
  await writeFile(file, `${lines.join('\n')}\n`);
}

/** A digest of the prompts the emulator saw, order-independent: both clients must send the same. */
function promptDigest(stats) {
  const hashes = stats.log.map((entry) => createHash('sha256').update(entry.prompt).digest('hex')).sort();
  return createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 16);
}

async function measure(client, concurrency, round, emulator, dataset, dir) {
  const name = `${client}-c${concurrency}-${round}`;
  const out = path.join(dir, `${name}.jsonl`);
  const profile = cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  await emulator.reset();
  const report = await runClient(CLIENTS[client], [dataset, out, String(concurrency), emulator.url], {
    cwd: dir,
    nodeFlags: profile,
    env: { BENCH_VERDICT_CLI: verdictCli },
  });
  if (report.exitCode !== undefined && report.exitCode !== 0) fail(`${name}: verdict exited with ${report.exitCode}`);
  const stats = await emulator.stats();
  await checkResults(name, out, rows);
  if (stats.requests !== rows || (stats.outcomes.ok ?? 0) !== rows) fail(`${name}: the emulator saw ${stats.requests} requests (${JSON.stringify(stats.outcomes)}), expected ${rows}`);
  await rm(out, { force: true });
  return { client, concurrency, round, rowsPerSec: rows / (report.wallMs / 1000), cpuMs: report.cpuMs, maxRssMb: report.maxRssMb, digest: stats.log.length === rows ? promptDigest(stats) : undefined };
}

async function runBench() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-overhead-'));
  const samples = [];
  let emulator;
  try {
    const dataset = path.join(dir, 'dataset.jsonl');
    await writeDataset(dataset, rows);
    emulator = await startEmulator(latency);
    log(`bench/overhead: ${rows} rows, concurrency ${concurrencies.join(' and ')}, ${rounds} rounds, emulator latency ${latency} ms; node ${process.version}, ${os.availableParallelism()} cores`);
    // Warm the emulator's JIT with a short unmeasured run, so round 1 is not charged for it.
    const warm = path.join(dir, 'warm.jsonl');
    await writeDataset(warm, Math.min(rows, 500));
    await runClient(CLIENTS.loop, [warm, path.join(dir, 'warm-out.jsonl'), '8', emulator.url], { cwd: dir });
    for (const concurrency of concurrencies) {
      for (let round = 1; round <= rounds; round++) {
        for (const client of round % 2 === 1 ? ['verdict', 'loop'] : ['loop', 'verdict']) {
          const sample = await measure(client, concurrency, round, emulator, dataset, dir);
          samples.push(sample);
          log(`  c=${concurrency} round ${round} ${client.padEnd(7)} ${sample.rowsPerSec.toFixed(0).padStart(6)} rows/s  CPU ${(sample.cpuMs / 1000).toFixed(2)} s  peak RSS ${sample.maxRssMb.toFixed(0)} MB`);
        }
      }
    }
  } finally {
    await emulator?.stop();
    if (flags.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
  // Both clients must have sent the same prompts, or the comparison is not like for like.
  const digests = new Set(samples.map((s) => s.digest).filter(Boolean));
  if (digests.size > 1) fail(`the clients sent different prompts (digests ${[...digests].join(', ')})`);
  return samples;
}

function report(samples) {
  const table = concurrencies.map((concurrency) => {
    const of = (client) => {
      const mine = samples.filter((s) => s.client === client && s.concurrency === concurrency);
      return { rowsPerSec: median(mine.map((s) => s.rowsPerSec)), cpuSec: median(mine.map((s) => s.cpuMs)) / 1000, maxRssMb: Math.max(...mine.map((s) => s.maxRssMb)) };
    };
    const verdict = of('verdict');
    const loop = of('loop');
    const ratios = { throughput: verdict.rowsPerSec / loop.rowsPerSec, cpu: verdict.cpuSec / loop.cpuSec, peakRss: verdict.maxRssMb / loop.maxRssMb };
    const met = { throughput: ratios.throughput >= targets.throughput, cpu: ratios.cpu <= targets.cpu, peakRss: ratios.peakRss <= targets.peakRss };
    return { concurrency, verdict, loop, ratios, met };
  });
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, rows, rounds, latencyMs: latency, targets, table, samples }, null, 2)}\n`);
    return;
  }
  const out = ['', `${rows} rows, ${rounds} rounds, emulator latency ${latency} ms; medians of the rounds, peak RSS the highest`, ''];
  out.push('| concurrency | client | rows/s | CPU s | peak RSS MB |', '|---:|---|---:|---:|---:|');
  for (const row of table) {
    for (const client of ['verdict', 'loop']) {
      const s = row[client];
      out.push(`| ${row.concurrency} | ${client} | ${s.rowsPerSec.toFixed(0)} | ${s.cpuSec.toFixed(2)} | ${s.maxRssMb.toFixed(0)} |`);
    }
  }
  out.push('');
  const yes = (ok) => (ok ? 'met' : 'NOT met');
  for (const { concurrency, ratios, met } of table) {
    out.push(
      `c=${concurrency} verdict/loop: throughput ${ratios.throughput.toFixed(2)}x (>= ${targets.throughput}: ${yes(met.throughput)}), ` +
        `CPU ${ratios.cpu.toFixed(2)}x (<= ${targets.cpu}: ${yes(met.cpu)}), peak RSS ${ratios.peakRss.toFixed(2)}x (<= ${targets.peakRss}: ${yes(met.peakRss)})`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  report(await runBench());
} catch (error) {
  if (!(error instanceof BenchFailure)) throw error;
  process.stderr.write(`bench/overhead: FAILED: ${error.message}\n`);
  process.exitCode = 1;
}
