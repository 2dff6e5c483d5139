// bench/overhead: what verdict costs on top of the API calls themselves.
//
// Grades a generated JSONL dataset against the bundled emulator answering with zero latency, so
// the client is the bottleneck, and compares `verdict run` with the naive semaphore-around-the-SDK
// loop of a typical blog post, measured in the same run against the same emulator. Each
// measurement is a fresh child process (so one cannot warm or bloat the other), and the emulator
// runs in its own process so its memory is not counted.
//
//   npm run bench:overhead -- [--rows 5000] [--concurrency 16] [--rounds 3] [--json]
//                             [--latency <ms>] [--semi-space <MB>] [--cpu-prof <dir>] [--keep]
//                             [--v8 "<node flags>"]... [--v8-runtime "<v8 flags>"]... [--dist <dir>]
//
// --cpu-prof DIR writes a CPU profile of every measured child into DIR (figures are then slower);
// `node bench/cpuprofile-top.js DIR/verdict-1.cpuprofile` lists where its time went.
// --semi-space N adds two variants, verdict and naive both run with `--max-semi-space-size=N`.
// Besides verdict (with the heap settings of bin/heap-settings.js, as bin/verdict.js applies them)
// and naive, every run measures "verdict V8 defaults": verdict without those settings.
// --v8 "<flags>" adds a verdict variant run with those flags on node's command line; --v8-runtime
//   "<flags>" adds one that calls v8.setFlagsFromString(flags) before loading verdict, as a bin shim
//   could. Both repeatable; each variant is measured in every round, next to the others, so its
//   figures compare with the plain verdict's of the same run.
// --dist DIR measures another build of verdict (e.g. a copy of dist/ from before a change) instead of dist/.
// See docs/benchmarks.md for what the figures mean.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRow, prng } from './lib/rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');

// `--v8 "--flag"`: parseArgs refuses a value that starts with a dash unless written `--v8=--flag`.
const valued = new Set(['--v8', '--v8-runtime']);
const argv = process.argv
  .slice(2)
  .flatMap((arg, i, all) => (valued.has(arg) && i + 1 < all.length ? [] : valued.has(all[i - 1]) ? [`${all[i - 1]}=${arg}`] : [arg]));

const { values: flags } = parseArgs({
  args: argv,
  options: {
    v8: { type: 'string', multiple: true, default: [] },
    'v8-runtime': { type: 'string', multiple: true, default: [] },
    dist: { type: 'string' },
    rows: { type: 'string', default: '5000' },
    concurrency: { type: 'string', default: '16' },
    rounds: { type: 'string', default: '3' },
    latency: { type: 'string', default: '0' },
    'semi-space': { type: 'string' },
    json: { type: 'boolean', default: false },
    'cpu-prof': { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const rows = positiveInt('--rows', flags.rows);
const concurrency = positiveInt('--concurrency', flags.concurrency);
const rounds = positiveInt('--rounds', flags.rounds);
const latency = flags.latency.trim() === '0' ? 0 : positiveInt('--latency', flags.latency);
const semiSpace = flags['semi-space'] === undefined ? undefined : positiveInt('--semi-space', flags['semi-space']);

function positiveInt(name, text) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1) return n;
  // Nothing has started yet, so exiting here leaves nothing behind.
  process.stderr.write(`bench/overhead: ${name} must be a positive integer, got ${JSON.stringify(text)}\n`);
  process.exit(2);
}

/** A failed check: the run stops, the emulator is stopped, and the process exits 1. */
class BenchFailure extends Error {}

function fail(message) {
  throw new BenchFailure(message);
}

const log = (line) => process.stderr.write(`${line}\n`);

// --- The dataset: deterministic, generated here --------------------------------------------------

async function writeDataset(file, count) {
  const random = prng(20261125);
  const lines = [];
  for (let i = 0; i < count; i++) lines.push(JSON.stringify(makeRow(i, random)));
  const text = `${lines.join('\n')}\n`;
  await writeFile(file, text);
  return Buffer.byteLength(text);
}

// --- The emulator, in its own process -------------------------------------------------------------

async function startEmulator() {
  const child = spawn(process.execPath, [path.join(repo, 'bin/verdict.js'), 'emulator', '--port', '0', '--latency', String(latency)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const lines = createInterface({ input: child.stdout });
  let url;
  for await (const line of lines) {
    const match = /listening on (http:\/\/\S+)/.exec(line);
    if (match) {
      url = match[1];
      break;
    }
  }
  if (!url) {
    const { code, signal } = await exited;
    fail(`the emulator exited before listening (code ${code}, signal ${signal})`);
  }
  const origin = new URL(url).origin;
  return {
    url,
    async reset() {
      const res = await fetch(`${origin}/_emulator/reset`, { method: 'POST' });
      if (!res.ok) fail(`POST /_emulator/reset answered ${res.status}`);
      await res.arrayBuffer();
    },
    async stats() {
      const res = await fetch(`${origin}/_emulator/stats`);
      if (!res.ok) fail(`GET /_emulator/stats answered ${res.status}`);
      return res.json();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

// --- One measurement: a fresh child process --------------------------------------------------------

// "verdict" applies the heap settings of bin/heap-settings.js, as bin/verdict.js does; "verdict V8
// defaults" does not, so what they cost shows in the same run. The naive loop keeps V8's defaults.
const variants = [
  { name: 'verdict', script: 'overhead/verdict-child.js', nodeFlags: [], heapSettings: true },
  { name: 'naive', script: 'overhead/naive-child.js', nodeFlags: [] },
  { name: 'verdict V8 defaults', script: 'overhead/verdict-child.js', nodeFlags: [] },
];
if (semiSpace !== undefined) {
  const flag = `--max-semi-space-size=${semiSpace}`;
  variants.push(
    { name: `verdict semi=${semiSpace}`, script: 'overhead/verdict-child.js', nodeFlags: [flag] },
    { name: `naive semi=${semiSpace}`, script: 'overhead/naive-child.js', nodeFlags: [flag] },
  );
}
for (const text of flags.v8) {
  variants.push({ name: `verdict ${text.trim()}`, script: 'overhead/verdict-child.js', nodeFlags: text.trim().split(/\s+/) });
}
for (const text of flags['v8-runtime']) {
  variants.push({ name: `verdict setFlagsFromString ${text.trim()}`, script: 'overhead/verdict-child.js', nodeFlags: [], runtimeFlags: text.trim() });
}
for (const variant of variants) {
  for (const flag of [...variant.nodeFlags, ...(variant.runtimeFlags?.split(/\s+/) ?? [])]) {
    if (!flag.startsWith('--')) {
      process.stderr.write(`bench/overhead: ${JSON.stringify(flag)} is not a node flag\n`);
      process.exit(2);
    }
  }
}

/** --dist DIR: the cli.js the verdict children load instead of ../dist/cli.js. */
const verdictCli = flags.dist === undefined ? undefined : pathToFileURL(path.resolve(flags.dist, 'cli.js')).href;

/** --cpu-prof DIR: every measured child writes a V8 CPU profile there (bench/cpuprofile-top.js reads them). */
const cpuProfDir = flags['cpu-prof'] === undefined ? undefined : path.resolve(flags['cpu-prof']);

function runChild(variant, args, cwd, profileName) {
  const profile =
    cpuProfDir && profileName ? ['--cpu-prof', `--cpu-prof-dir=${cpuProfDir}`, `--cpu-prof-name=${profileName}.cpuprofile`] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...variant.nodeFlags, ...profile, path.join(here, variant.script), ...args], {
      cwd,
      env: {
        ...process.env,
        OPENAI_API_KEY: 'bench-overhead-dummy-key',
        // From this shell it would turn the "verdict" variant into V8's defaults.
        VERDICT_V8_DEFAULTS: '',
        BENCH_V8_RUNTIME_FLAGS: variant.runtimeFlags ?? '',
        BENCH_VERDICT_CLI: verdictCli ?? '',
        BENCH_HEAP_SETTINGS: variant.heapSettings ? '1' : '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let report;
      try {
        report = JSON.parse(last);
      } catch {
        report = undefined;
      }
      if (code !== 0 || !report) {
        reject(new BenchFailure(`${variant.name} child failed (code ${code}, signal ${signal})\n--- stdout\n${stdout}\n--- stderr\n${stderr}`));
      } else {
        resolve(report);
      }
    });
  });
}

/** Checks the results file: one line per row, every row graded with a score in 1..5, ids unique. */
async function checkResults(variant, out, expectedRows) {
  const lines = (await readFile(out, 'utf8')).split('\n').filter((line) => line !== '');
  if (lines.length !== expectedRows) fail(`${variant.name}: ${lines.length} result lines, expected ${expectedRows}`);
  const ids = new Set();
  for (const line of lines) {
    const record = JSON.parse(line);
    if (record.error) fail(`${variant.name}: row ${record.id} ended in error: ${JSON.stringify(record.error)}`);
    if (!Number.isInteger(record.score) || record.score < 1 || record.score > 5) {
      fail(`${variant.name}: row ${record.id} has no score in 1..5: ${line.slice(0, 200)}`);
    }
    ids.add(record.id);
  }
  if (ids.size !== expectedRows) fail(`${variant.name}: ${ids.size} distinct ids, expected ${expectedRows}`);
  return lines.length;
}

/** A digest of the prompts the emulator saw, order-independent: both clients must send the same. */
function promptDigest(stats) {
  const hashes = stats.log.map((entry) => createHash('sha256').update(entry.prompt).digest('hex')).sort();
  return createHash('sha256').update(hashes.join('\n')).digest('hex').slice(0, 16);
}

async function measure(variant, emulator, dataset, dir, round) {
  const slug = `${variant.name.replace(/\W+/g, '-')}-${round}`;
  const out = path.join(dir, `${slug}.jsonl`);
  await emulator.reset();
  const report = await runChild(variant, [dataset, out, String(concurrency), emulator.url], dir, slug);
  const stats = await emulator.stats();
  const graded = await checkResults(variant, out, rows);
  if (report.exitCode !== undefined && report.exitCode !== 0) fail(`${variant.name}: verdict exited with ${report.exitCode}`);
  if (stats.requests !== rows) fail(`${variant.name}: the emulator saw ${stats.requests} requests, expected ${rows}`);
  if ((stats.outcomes.ok ?? 0) !== rows) fail(`${variant.name}: emulator outcomes ${JSON.stringify(stats.outcomes)}`);
  await rm(out, { force: true });
  return {
    variant: variant.name,
    round,
    rows: graded,
    wallMs: report.wallMs,
    workMs: report.workMs,
    maxRssMb: report.maxRssMb,
    cpuMs: report.cpuMs,
    rowsPerSec: graded / (report.wallMs / 1000),
    requests: stats.requests,
    maxInFlight: stats.maxInFlight,
    promptDigest: stats.log.length === rows ? promptDigest(stats) : undefined,
  };
}

// --- The run ---------------------------------------------------------------------------------------

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

async function runBench() {
  const machine = {
    node: process.version,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    platform: `${os.platform()} ${os.release()}`,
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-overhead-'));
  const samples = [];
  let emulator;
  let datasetBytes;
  try {
    const dataset = path.join(dir, 'dataset.jsonl');
    datasetBytes = await writeDataset(dataset, rows);
    emulator = await startEmulator();
    log(`bench/overhead: ${rows} rows (${(datasetBytes / 1024).toFixed(0)} KiB), concurrency ${concurrency}, ${rounds} rounds`);
    log(`node ${machine.node}, ${machine.cpu}, ${machine.cores} cores; emulator at ${emulator.url}`);

    // Warm the emulator's JIT with a short unmeasured run, so round 1 is not charged for it.
    const warmSet = path.join(dir, 'warm.jsonl');
    await writeDataset(warmSet, Math.min(rows, 500));
    await emulator.reset();
    await runChild(variants[1], [warmSet, path.join(dir, 'warm-out.jsonl'), String(concurrency), emulator.url], dir);

    for (let round = 1; round <= rounds; round++) {
      // Alternate the order each round so neither side always runs first.
      const order = round % 2 === 1 ? variants : [...variants].reverse();
      for (const variant of order) {
        const sample = await measure(variant, emulator, dataset, dir, round);
        samples.push(sample);
        log(
          `  round ${round} ${variant.name.padEnd(18)} ${sample.rowsPerSec.toFixed(0).padStart(6)} rows/s  ` +
            `${(sample.wallMs / 1000).toFixed(2)} s  CPU ${(sample.cpuMs / 1000).toFixed(2)} s  peak RSS ${sample.maxRssMb.toFixed(0)} MB`,
        );
      }
    }
  } finally {
    await emulator?.stop();
    if (!flags.keep) await rm(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }

  // Both clients must have sent the same prompts, or the comparison is not like for like.
  const digests = new Set(samples.map((s) => s.promptDigest).filter(Boolean));
  if (digests.size > 1) fail(`the clients sent different prompts (digests ${[...digests].join(', ')})`);
  return { machine, datasetBytes, samples };
}

function report({ machine, datasetBytes, samples }) {
  const summary = variants.map((variant) => {
    const mine = samples.filter((s) => s.variant === variant.name);
    return {
      variant: variant.name,
      nodeFlags: variant.nodeFlags,
      medianRowsPerSec: median(mine.map((s) => s.rowsPerSec)),
      medianWallSec: median(mine.map((s) => s.wallMs)) / 1000,
      medianCpuSec: median(mine.map((s) => s.cpuMs)) / 1000,
      maxPeakRssMb: Math.max(...mine.map((s) => s.maxRssMb)),
    };
  });
  const byName = Object.fromEntries(summary.map((s) => [s.variant, s]));
  const ratios = {
    throughput: byName.verdict.medianRowsPerSec / byName.naive.medianRowsPerSec,
    cpu: byName.verdict.medianCpuSec / byName.naive.medianCpuSec,
    peakRss: byName.verdict.maxPeakRssMb / byName.naive.maxPeakRssMb,
  };

  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ machine, rows, concurrency, rounds, latencyMs: latency, datasetBytes, summary, ratios, samples }, null, 2)}\n`);
  } else {
    const out = [];
    out.push('');
    out.push(`node ${machine.node} | ${machine.cpu} | ${machine.cores} cores | ${machine.platform}`);
    out.push(`${rows} rows, concurrency ${concurrency}, ${rounds} rounds, emulator latency ${latency} ms`);
    out.push('');
    out.push('| client | median rows/s | median wall s | median CPU s | max peak RSS MB |');
    out.push('|---|---:|---:|---:|---:|');
    for (const s of summary) {
      out.push(`| ${s.variant} | ${s.medianRowsPerSec.toFixed(0)} | ${s.medianWallSec.toFixed(2)} | ${s.medianCpuSec.toFixed(2)} | ${s.maxPeakRssMb.toFixed(0)} |`);
    }
    out.push('');
    out.push(`verdict/naive throughput: ${ratios.throughput.toFixed(2)}x`);
    out.push(`verdict/naive CPU time:   ${ratios.cpu.toFixed(2)}x`);
    out.push(`verdict/naive peak RSS:   ${ratios.peakRss.toFixed(2)}x`);
    const plain = byName['verdict V8 defaults'];
    if (plain) {
      out.push(
        `verdict/verdict V8 defaults (what the heap settings cost): throughput ${(byName.verdict.medianRowsPerSec / plain.medianRowsPerSec).toFixed(2)}x, ` +
          `CPU ${(byName.verdict.medianCpuSec / plain.medianCpuSec).toFixed(2)}x, peak RSS ${(byName.verdict.maxPeakRssMb / plain.maxPeakRssMb).toFixed(2)}x`,
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);
  }
}

try {
  report(await runBench());
} catch (error) {
  if (!(error instanceof BenchFailure)) throw error;
  process.stderr.write(`bench/overhead: FAILED: ${error.message}\n`);
  process.exitCode = 1;
}
