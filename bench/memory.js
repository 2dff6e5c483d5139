// bench/memory: does verdict's memory stay flat as the dataset grows?
//
// Generates a JSONL dataset (rows of a few hundred bytes, deterministic) in a temp dir, starts the
// bundled emulator in its own process answering at once (--latency 0), and grades a baseline of
// 100 rows, then 20,000 rows, then 200,000 rows, each in a fresh child process running
// verdict's main() (`run -p correctness -c 16 --quiet --force --base-url <emulator>`). Each child
// reports its peak RSS (process.resourceUsage().maxRSS) and a timeline of RSS and V8 heap sampled
// every 250 ms from inside. Then a `--dry-run` over 1,000,000 rows (no emulator, no key): wall
// time, rows/s and peak RSS. Every graded run is checked: one result line per row, every line
// scored 1..5 with a distinct id, and the emulator saw exactly one request per row.
//
// Two variants are measured by default: "verdict", whose child first applies the heap settings of
// bin/heap-settings.js exactly as bin/verdict.js does (what a user gets), and "V8 defaults",
// without them: the baseline, in the same run. --v8/--v8-runtime variants start from V8's defaults.
//
//   npm run bench:memory -- [--rows-small 20000] [--rows-large 200000] [--rows-base 100]
//                           [--dry-rows 1000000] [--concurrency 16] [--sample-ms 250]
//                           [--v8 "<node flags>"]... [--v8-runtime "<v8 flags>"]... [--skip-default]
//                           [--skip-v8-defaults]
//                           [--dry-all] [--json] [--keep] [--child-timeout 900] [--dist <dir>]
//                           [--live-heap <ms>] [--heap-snapshot <dir> --snapshot-at <s>[,<s>...]]
//                           [--alloc-profile <dir>]
//
// --v8 "<flags>" adds a variant: every measurement is repeated with those flags given to the child's
//   node (e.g. --v8 "--max-semi-space-size=2" --v8 "--optimize-for-size"). Repeatable.
// --v8-runtime "<flags>" adds a variant whose child calls v8.setFlagsFromString(flags) before loading
//   verdict, as bin/verdict.js could; it shows which flags still take effect once node has started.
// --skip-default  runs only the --v8 variants; --skip-v8-defaults leaves out the "V8 defaults" one.
// --dry-all runs the dry run for every variant too (by default only the first variant's).
// --dist DIR  measures another build (e.g. a patched copy of dist/ in a scratch dir) instead of dist/.
// --rows-base 0 / --dry-rows 0 skip the baseline / the dry run.
// --live-heap MS  (diagnostic) children also get --expose-gc and force a full GC every MS to sample
//   the live heap; this slows them and changes their peaks, so use it apart from the headline figures.
// --heap-snapshot DIR --snapshot-at S[,S...]  (diagnostic) the large run writes a V8 heap snapshot S
//   seconds in (one per S given, e.g. 20,100 to compare an early and a late moment);
//   `node bench/memory/heap-top.js <file>` summarises one.
// --alloc-profile DIR  (diagnostic) the large run samples every allocation, collected or not, with
//   V8's sampling heap profiler and writes a .heapprofile to DIR: where the churn that makes V8 grow
//   its heap comes from. `node bench/memory/alloc-top.js <file>` summarises it. Slows the run a little.
// See docs/benchmarks.md, "bench/memory", for what the figures mean.
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
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
    'rows-small': { type: 'string', default: '20000' },
    'rows-large': { type: 'string', default: '200000' },
    'rows-base': { type: 'string', default: '100' },
    'dry-rows': { type: 'string', default: '1000000' },
    concurrency: { type: 'string', default: '16' },
    'sample-ms': { type: 'string', default: '250' },
    v8: { type: 'string', multiple: true, default: [] },
    'v8-runtime': { type: 'string', multiple: true, default: [] },
    dist: { type: 'string' },
    'skip-default': { type: 'boolean', default: false },
    'skip-v8-defaults': { type: 'boolean', default: false },
    'dry-all': { type: 'boolean', default: false },
    'live-heap': { type: 'string' },
    'heap-snapshot': { type: 'string' },
    'snapshot-at': { type: 'string' },
    'alloc-profile': { type: 'string' },
    'child-timeout': { type: 'string', default: '900' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const rowsBase = count('--rows-base', flags['rows-base']);
const rowsSmall = count('--rows-small', flags['rows-small'], 1);
const rowsLarge = count('--rows-large', flags['rows-large'], 1);
const dryRows = count('--dry-rows', flags['dry-rows']);
const concurrency = count('--concurrency', flags.concurrency, 1);
const sampleMs = count('--sample-ms', flags['sample-ms'], 10);
const childTimeoutMs = count('--child-timeout', flags['child-timeout'], 1) * 1000;
const liveSampleMs = flags['live-heap'] === undefined ? undefined : count('--live-heap', flags['live-heap'], 100);
const snapshotDir = flags['heap-snapshot'] === undefined ? undefined : path.resolve(flags['heap-snapshot']);
const snapshotAtMs =
  flags['snapshot-at'] === undefined ? undefined : flags['snapshot-at'].split(',').map((s) => count('--snapshot-at', s.trim(), 1) * 1000);
if ((snapshotDir === undefined) !== (snapshotAtMs === undefined)) usage('--heap-snapshot and --snapshot-at go together');
const allocProfileDir = flags['alloc-profile'] === undefined ? undefined : path.resolve(flags['alloc-profile']);

function count(name, text, min = 0) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= min) return n;
  usage(`${name} must be an integer >= ${min}, got ${JSON.stringify(text)}`);
}

function usage(message) {
  // Nothing has started yet, so exiting here leaves nothing behind.
  process.stderr.write(`bench/memory: ${message}\n`);
  process.exit(2);
}

const variants = [
  ...(flags['skip-default'] ? [] : [{ name: 'verdict', nodeFlags: [], heapSettings: true }]),
  ...(flags['skip-default'] || flags['skip-v8-defaults'] ? [] : [{ name: 'V8 defaults', nodeFlags: [] }]),
  ...flags.v8.map((text) => ({ name: text.trim(), nodeFlags: text.trim().split(/\s+/).filter(Boolean) })),
  ...flags['v8-runtime'].map((text) => ({ name: `setFlagsFromString ${text.trim()}`, nodeFlags: [], runtimeFlags: text.trim() })),
];
// --dist DIR: measure another build of verdict (e.g. a patched copy in a scratch dir) instead of ../dist.
const cli = flags.dist === undefined ? undefined : pathToFileURL(path.resolve(flags.dist, 'cli.js')).href;
if (variants.length === 0) usage('--skip-default needs at least one --v8 variant');
for (const variant of variants) {
  for (const flag of [...variant.nodeFlags, ...(variant.runtimeFlags?.split(/\s+/) ?? [])]) {
    if (!flag.startsWith('--')) usage(`--v8: ${JSON.stringify(flag)} is not a node flag`);
  }
}

/** A failed check: the run stops, the emulator is stopped, and the process exits 1. */
class BenchFailure extends Error {}

function fail(message) {
  throw new BenchFailure(message);
}

const log = (line) => process.stderr.write(`${line}\n`);

// --- The dataset: deterministic, generated here --------------------------------------------------

/**
 * Writes every dataset in one pass over the same row sequence, so each smaller file is a prefix of
 * the larger ones. Returns { rows: bytes } per file.
 */
async function writeDatasets(files) {
  const random = prng(20261125);
  const max = Math.max(...files.map((f) => f.rows));
  const outs = files.map((f) => ({ ...f, stream: createWriteStream(f.path), bytes: 0 }));
  let chunk = [];
  let from = 0;
  const flush = async (upTo) => {
    for (const out of outs) {
      if (out.rows <= from) continue;
      const lines = out.rows >= upTo ? chunk : chunk.slice(0, out.rows - from);
      const text = `${lines.join('\n')}\n`;
      out.bytes += Buffer.byteLength(text);
      if (!out.stream.write(text)) await once(out.stream, 'drain');
    }
    chunk = [];
    from = upTo;
  };
  for (let i = 0; i < max; i++) {
    chunk.push(JSON.stringify(makeRow(i, random, 7)));
    if (chunk.length === 5_000) await flush(i + 1);
  }
  if (chunk.length > 0) await flush(max);
  await Promise.all(outs.map((out) => new Promise((resolve, reject) => out.stream.end((error) => (error ? reject(error) : resolve())))));
  return Object.fromEntries(outs.map((out) => [out.rows, out.bytes]));
}

// --- The emulator, in its own process -------------------------------------------------------------

async function startEmulator() {
  const child = spawn(process.execPath, [path.join(repo, 'bin/verdict.js'), 'emulator', '--port', '0', '--latency', '0'], {
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

async function runChild(variant, spec, dir, name) {
  const specFile = path.join(dir, `${name}.spec.json`);
  await writeFile(specFile, JSON.stringify({ ...spec, cli, runtimeFlags: variant.runtimeFlags, heapSettings: variant.heapSettings === true }));
  const live = spec.liveSampleMs !== undefined ? ['--expose-gc'] : [];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...variant.nodeFlags, ...live, path.join(here, 'memory/verdict-child.js'), specFile], {
      cwd: dir,
      // No key and no base URL from this environment reach the child; it sets its own dummy key.
      // VERDICT_V8_DEFAULTS from this shell would turn the "verdict" variant into V8's defaults.
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '', NODE_OPTIONS: '', VERDICT_V8_DEFAULTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    // A child that hangs (a V8 flag can break the HTTP client) is killed, and the run fails loudly.
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, childTimeoutMs);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) {
        reject(new BenchFailure(`${name} child took longer than --child-timeout ${childTimeoutMs / 1000} s and was killed\n--- stderr\n${stderr.slice(-4000)}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      let report;
      try {
        report = JSON.parse(last);
      } catch {
        report = undefined;
      }
      if (code !== 0 || !report) {
        reject(new BenchFailure(`${name} child failed (code ${code}, signal ${signal})\n--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`));
      } else {
        resolve(report);
      }
    });
  });
}

/** Checks the results file, streaming: one line per row, every row scored 1..5, ids distinct. */
async function checkResults(name, out, expectedRows) {
  const ids = new Set();
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(out), crlfDelay: Infinity })) {
    if (line === '') continue;
    lines++;
    const record = JSON.parse(line);
    if (record.error) fail(`${name}: row ${record.id} ended in error: ${JSON.stringify(record.error)}`);
    if (!Number.isInteger(record.score) || record.score < 1 || record.score > 5) {
      fail(`${name}: row ${record.id} has no score in 1..5: ${line.slice(0, 200)}`);
    }
    ids.add(record.id);
  }
  if (lines !== expectedRows) fail(`${name}: ${lines} result lines, expected ${expectedRows}`);
  if (ids.size !== expectedRows) fail(`${name}: ${ids.size} distinct ids, expected ${expectedRows}`);
  return lines;
}

/** The timeline folded into tenths of the run: the highest RSS and heapUsed sampled in each. */
function byTenth(samples, key) {
  if (samples.length === 0) return [];
  const start = samples[0].t;
  const span = Math.max(1, samples.at(-1).t - start);
  const tenths = Array.from({ length: 10 }, () => undefined);
  for (const s of samples) {
    const i = Math.min(9, Math.floor(((s.t - start) / span) * 10));
    tenths[i] = Math.max(tenths[i] ?? 0, s[key]);
  }
  return tenths.map((v) => v ?? null);
}

function summarise(report, rows) {
  const samples = report.samples;
  const sampledPeak = (key) => Math.max(...samples.map((s) => s[key]));
  return {
    rows,
    wallMs: report.wallMs,
    workMs: report.workMs,
    cpuMs: report.cpuMs,
    rowsPerSec: rows / (report.wallMs / 1000),
    maxRssMb: report.maxRssMb,
    sampledPeakRssMb: sampledPeak('rssMb'),
    sampledPeakHeapUsedMb: sampledPeak('heapUsedMb'),
    sampledPeakHeapTotalMb: sampledPeak('heapTotalMb'),
    rssByTenthMb: byTenth(samples, 'rssMb'),
    heapUsedByTenthMb: byTenth(samples, 'heapUsedMb'),
    heapAtEnd: report.heap,
    live: report.live,
    samples,
    snapshotFiles: report.snapshotFiles,
    allocProfileFile: report.allocProfileFile,
  };
}

async function measureRun(variant, emulator, dataset, rows, dir, label, extra = {}) {
  const name = `${variant.name.replace(/\W+/g, '-')}-${label}`;
  const out = path.join(dir, `${name}.jsonl`);
  await emulator.reset();
  const report = await runChild(
    variant,
    { dataset, out, concurrency, baseURL: emulator.url, dryRun: false, sampleMs, liveSampleMs, ...extra },
    dir,
    name,
  );
  if (report.exitCode !== 0) fail(`${name}: verdict exited with ${report.exitCode}`);
  const stats = await emulator.stats();
  const graded = await checkResults(name, out, rows);
  if (stats.requests !== rows) fail(`${name}: the emulator saw ${stats.requests} requests, expected ${rows}`);
  if ((stats.outcomes.ok ?? 0) !== rows) fail(`${name}: emulator outcomes ${JSON.stringify(stats.outcomes)}`);
  await rm(out, { force: true });
  await rm(`${out}.manifest.json`, { force: true });
  return { variant: variant.name, nodeFlags: variant.nodeFlags, kind: label, ...summarise(report, graded), maxInFlight: stats.maxInFlight };
}

async function measureDryRun(variant, dataset, rows, dir) {
  const name = `${variant.name.replace(/\W+/g, '-')}-dry`;
  const report = await runChild(variant, { dataset, concurrency, baseURL: null, dryRun: true, sampleMs, liveSampleMs }, dir, name);
  if (report.exitCode !== 0) fail(`${name}: verdict --dry-run exited with ${report.exitCode}`);
  if (report.reportedRows !== rows) fail(`${name}: the dry run reported ${report.reportedRows} rows, expected ${rows}`);
  return { variant: variant.name, nodeFlags: variant.nodeFlags, kind: 'dry-run', ...summarise(report, rows) };
}

// --- The run ---------------------------------------------------------------------------------------

async function runBench() {
  const machine = {
    node: process.version,
    v8: process.versions.v8,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    platform: `${os.platform()} ${os.release()}`,
  };
  const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-memory-'));
  if (snapshotDir) await mkdir(snapshotDir, { recursive: true });
  if (allocProfileDir) await mkdir(allocProfileDir, { recursive: true });
  const { results } = partial;
  partial.machine = machine;
  let emulator;
  let datasetBytes;
  try {
    const file = (rows) => path.join(dir, `dataset-${rows}.jsonl`);
    const sizes = [...new Set([rowsBase, rowsSmall, rowsLarge, dryRows, 2_000].filter((n) => n > 0))];
    const generated = performance.now();
    datasetBytes = await writeDatasets(sizes.map((rows) => ({ rows, path: file(rows) })));
    partial.datasetBytes = datasetBytes;
    log(
      `bench/memory: datasets ${sizes.map((n) => `${n} rows (${(datasetBytes[n] / 1024 / 1024).toFixed(1)} MiB)`).join(', ')}` +
        ` written in ${((performance.now() - generated) / 1000).toFixed(1)} s; about ${Math.round(datasetBytes[sizes.at(-1)] / sizes.at(-1))} bytes a row`,
    );
    log(`node ${machine.node} (V8 ${machine.v8}), ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGb} GB`);

    emulator = await startEmulator();
    log(`emulator at ${emulator.url}, concurrency ${concurrency}, sampling every ${sampleMs} ms`);
    // Warm the emulator's JIT with a short unmeasured run, so the first measurement is not charged for it.
    await measureRun(variants[0], emulator, file(2_000), 2_000, dir, 'warm-up');

    for (const variant of variants) {
      const plan = [
        ...(rowsBase > 0 ? [['base', rowsBase]] : []),
        ['small', rowsSmall],
        ['large', rowsLarge],
      ];
      for (const [label, rows] of plan) {
        const extra = label !== 'large' ? {} : { ...(snapshotDir ? { snapshotAtMs, snapshotDir } : {}), allocProfileDir };
        const sample = await measureRun(variant, emulator, file(rows), rows, dir, label, extra);
        results.push(sample);
        log(
          `  ${variant.name.padEnd(28)} ${String(rows).padStart(7)} rows  peak RSS ${sample.maxRssMb.toFixed(0).padStart(4)} MB  ` +
            `heapUsed<=${sample.sampledPeakHeapUsedMb.toFixed(0).padStart(3)} MB  ${sample.rowsPerSec.toFixed(0).padStart(5)} rows/s  ${(sample.wallMs / 1000).toFixed(1)} s` +
            (sample.snapshotFiles?.length ? `  snapshots ${sample.snapshotFiles.join(' ')}` : '') +
            (sample.allocProfileFile ? `  allocation profile ${sample.allocProfileFile}` : ''),
        );
      }
    }
    await emulator.stop();
    emulator = undefined;

    if (dryRows > 0) {
      for (const variant of flags['dry-all'] ? variants : variants.slice(0, 1)) {
        const sample = await measureDryRun(variant, file(dryRows), dryRows, dir);
        results.push(sample);
        log(
          `  ${variant.name.padEnd(28)} ${String(dryRows).padStart(7)} rows --dry-run  peak RSS ${sample.maxRssMb.toFixed(0).padStart(4)} MB  ` +
            `${sample.rowsPerSec.toFixed(0).padStart(6)} rows/s  ${(sample.wallMs / 1000).toFixed(1)} s`,
        );
      }
    }
  } finally {
    await emulator?.stop();
    if (!flags.keep) await rm(dir, { recursive: true, force: true });
    else log(`kept ${dir}`);
  }
  return { machine, datasetBytes, results };
}

/** What has been measured so far, so that a failure late in the run still reports the rest. */
const partial = { machine: undefined, datasetBytes: undefined, results: [] };

function report({ machine, datasetBytes, results }) {
  const measured = variants.filter((variant) => ['small', 'large'].every((kind) => results.some((r) => r.variant === variant.name && r.kind === kind)));
  const verdicts = measured.map((variant) => {
    const mine = (kind) => results.find((r) => r.variant === variant.name && r.kind === kind);
    const small = mine('small');
    const large = mine('large');
    const ratio = large.maxRssMb / small.maxRssMb;
    return {
      variant: variant.name,
      baseMb: mine('base')?.maxRssMb ?? null,
      smallMb: small.maxRssMb,
      largeMb: large.maxRssMb,
      ratio,
      flat: ratio <= 1.1,
      under150: Math.max(small.maxRssMb, large.maxRssMb) < 150,
      smallRowsPerSec: small.rowsPerSec,
      largeRowsPerSec: large.rowsPerSec,
      dry: mine('dry-run') ?? null,
    };
  });

  if (flags.json) {
    const config = { rowsBase, rowsSmall, rowsLarge, dryRows, concurrency, sampleMs, liveSampleMs };
    process.stdout.write(`${JSON.stringify({ machine, config, datasetBytes, verdicts, results }, null, 2)}\n`);
    return;
  }
  const out = [''];
  out.push(`node ${machine.node} | ${machine.cpu} | ${machine.cores} cores | ${machine.memoryGb} GB | ${machine.platform}`);
  out.push(`concurrency ${concurrency}, emulator latency 0 ms, about ${Math.round(datasetBytes[rowsLarge] / rowsLarge)} bytes a row`);
  out.push('');
  out.push('| variant | rows | peak RSS MB | heapUsed max MB | rows/s |');
  out.push('|---|---:|---:|---:|---:|');
  for (const r of results.filter((r) => r.kind !== 'dry-run')) {
    out.push(`| ${r.variant} | ${r.rows} | ${r.maxRssMb.toFixed(0)} | ${r.sampledPeakHeapUsedMb.toFixed(0)} | ${r.rowsPerSec.toFixed(0)} |`);
  }
  const dries = verdicts.filter((v) => v.dry);
  if (dries.length > 0) {
    out.push('');
    out.push(`| variant | --dry-run rows | wall s | rows/s | peak RSS MB | heapUsed max MB |`);
    out.push('|---|---:|---:|---:|---:|---:|');
    for (const v of dries) {
      out.push(
        `| ${v.variant} | ${v.dry.rows} | ${(v.dry.wallMs / 1000).toFixed(1)} | ${v.dry.rowsPerSec.toFixed(0)} | ` +
          `${v.dry.maxRssMb.toFixed(0)} | ${v.dry.sampledPeakHeapUsedMb.toFixed(0)} |`,
      );
    }
  }
  out.push('');
  out.push('Timeline of each graded run: highest sampled RSS / heapUsed (MB) in each tenth of the run');
  for (const r of results.filter((r) => r.kind !== 'base')) {
    out.push(`  ${r.variant} ${r.rows} ${r.kind === 'dry-run' ? 'dry-run ' : ''}RSS:      ${r.rssByTenthMb.map((v) => (v === null ? '-' : v.toFixed(0))).join(' ')}`);
    out.push(`  ${r.variant} ${r.rows} ${r.kind === 'dry-run' ? 'dry-run ' : ''}heapUsed: ${r.heapUsedByTenthMb.map((v) => (v === null ? '-' : v.toFixed(0))).join(' ')}`);
    if (r.live?.length) {
      out.push(`  ${r.variant} ${r.rows} live heap after forced GC, first/last: ${r.live[0].liveHeapMb} / ${r.live.at(-1).liveHeapMb} MB (${r.live.length} samples)`);
    }
  }
  out.push('');
  for (const v of verdicts) {
    out.push(
      `${v.variant}: ${rowsLarge}/${rowsSmall} peak RSS ${v.ratio.toFixed(2)}x (target <= 1.10: ${v.flat ? 'met' : 'NOT met'}); ` +
        `peak ${Math.max(v.smallMb, v.largeMb).toFixed(0)} MB (target < 150 MB: ${v.under150 ? 'met' : 'NOT met'})`,
    );
  }
  // What the heap settings buy and cost, against V8's defaults measured in the same run.
  const shipped = verdicts.find((v) => v.variant === 'verdict');
  const baseline = verdicts.find((v) => v.variant === 'V8 defaults');
  if (shipped && baseline) {
    out.push(
      `verdict / V8 defaults: peak RSS ${(shipped.smallMb / baseline.smallMb).toFixed(2)}x at ${rowsSmall} rows, ` +
        `${(shipped.largeMb / baseline.largeMb).toFixed(2)}x at ${rowsLarge}; rows/s ${(shipped.smallRowsPerSec / baseline.smallRowsPerSec).toFixed(2)}x ` +
        `and ${(shipped.largeRowsPerSec / baseline.largeRowsPerSec).toFixed(2)}x`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  report(await runBench());
} catch (error) {
  if (!(error instanceof BenchFailure)) throw error;
  process.stderr.write(`bench/memory: FAILED: ${error.message}\n`);
  if (partial.results.length > 0 && partial.datasetBytes) {
    process.stderr.write('bench/memory: what was measured before the failure follows\n');
    report(partial);
  }
  process.exitCode = 1;
}
