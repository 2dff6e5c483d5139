// bench/memory: does verdict's memory stay flat as the dataset grows?
//
// Generates a JSONL dataset (rows of a few hundred bytes, deterministic), starts the bundled
// emulator in its own process answering at once, and grades 20,000 rows, then 200,000, each with
// verdict in a fresh process; then the same 200,000 rows with the plain loop bench/overhead
// compares against (a semaphore around the openai SDK, writing JSONL). Each process reports its
// peak RSS (process.resourceUsage().maxRSS). Every run is checked: one result line per row, each
// scored 1..5 with a distinct id, and one request per row at the emulator. Targets (issue 14): the
// two peaks within 1.1x of each other, and verdict's peak at 200,000 rows within 1.1x of the loop's.
//
//   npm run bench:memory -- [--rows-small 20000] [--rows-large 200000] [--concurrency 16] [--keep] [--json]
//
// verdict sets no node flags; a user who wants a smaller heap gives node its own (NODE_OPTIONS,
// e.g. --max-semi-space-size): see bench/README.md, "memory".
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { BenchFailure, checkResults, CLIENTS, fail, runClient, startEmulator } from './lib/harness.js';
import { makeRow, prng } from './lib/rows.js';

const { values: flags } = parseArgs({
  options: {
    'rows-small': { type: 'string', default: '20000' },
    'rows-large': { type: 'string', default: '200000' },
    concurrency: { type: 'string', default: '16' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const rowsSmall = count('--rows-small', flags['rows-small']);
const rowsLarge = count('--rows-large', flags['rows-large']);
const concurrency = count('--concurrency', flags.concurrency);
const target = 1.1;

function count(name, text) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1) return n;
  // Nothing has started yet, so exiting here leaves nothing behind.
  process.stderr.write(`bench/memory: ${name} must be a positive integer, got ${JSON.stringify(text)}\n`);
  process.exit(2);
}

const log = (line) => process.stderr.write(`${line}\n`);

/** Writes the first `rows` rows of the one deterministic sequence, streaming; returns its size in bytes. */
async function writeDataset(file, rows) {
  const random = prng(20261125);
  const out = createWriteStream(file);
  let bytes = 0;
  for (let i = 0; i < rows; i++) {
    const line = `${JSON.stringify(makeRow(i, random, 7))}\n`;
    bytes += line.length;
    if (!out.write(line)) await once(out, 'drain');
  }
  await new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
  return bytes;
}

async function measure(client, rows, dataset, emulator, dir) {
  const name = `${client}-${rows}`;
  const out = path.join(dir, `${name}.jsonl`);
  await emulator.reset();
  const report = await runClient(CLIENTS[client], [dataset, out, String(concurrency), emulator.url], { cwd: dir });
  if (report.exitCode !== undefined && report.exitCode !== 0) fail(`${name}: verdict exited with ${report.exitCode}`);
  const stats = await emulator.stats();
  await checkResults(name, out, rows);
  if (stats.requests !== rows || (stats.outcomes.ok ?? 0) !== rows) fail(`${name}: the emulator saw ${stats.requests} requests (${JSON.stringify(stats.outcomes)}), expected ${rows}`);
  await rm(out, { force: true });
  await rm(`${out}.manifest.json`, { force: true });
  const result = { client, rows, peakRssMb: report.maxRssMb, rowsPerSec: rows / (report.wallMs / 1000), cpuSec: report.cpuMs / 1000 };
  log(`  ${client.padEnd(7)} ${String(rows).padStart(7)} rows  peak RSS ${result.peakRssMb.toFixed(0).padStart(4)} MB  ${result.rowsPerSec.toFixed(0).padStart(5)} rows/s`);
  return result;
}

async function runBench() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-memory-'));
  let emulator;
  try {
    const small = path.join(dir, `dataset-${rowsSmall}.jsonl`);
    const large = path.join(dir, `dataset-${rowsLarge}.jsonl`);
    await writeDataset(small, rowsSmall);
    const bytes = await writeDataset(large, rowsLarge);
    emulator = await startEmulator(0);
    log(`bench/memory: ${rowsSmall} and ${rowsLarge} rows (about ${Math.round(bytes / rowsLarge)} bytes a row), concurrency ${concurrency}; node ${process.version}, ${os.availableParallelism()} cores`);
    // Warm the emulator's JIT with a short unmeasured run, so the first measurement is not charged for it.
    const warm = path.join(dir, 'warm.jsonl');
    await writeDataset(warm, Math.min(rowsSmall, 2_000));
    await runClient(CLIENTS.loop, [warm, path.join(dir, 'warm-out.jsonl'), String(concurrency), emulator.url], { cwd: dir });
    return [
      await measure('verdict', rowsSmall, small, emulator, dir),
      await measure('verdict', rowsLarge, large, emulator, dir),
      await measure('loop', rowsLarge, large, emulator, dir),
    ];
  } finally {
    await emulator?.stop();
    if (flags.keep) log(`kept ${dir}`);
    else await rm(dir, { recursive: true, force: true });
  }
}

function report([small, large, loop]) {
  const flat = large.peakRssMb / small.peakRssMb;
  const againstLoop = large.peakRssMb / loop.peakRssMb;
  // "Within 1.1x of each other" either way round.
  const within = (ratio) => ratio <= target && ratio >= 1 / target;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ node: process.version, concurrency, runs: [small, large, loop], ratios: { flat, againstLoop }, target }, null, 2)}\n`);
    return;
  }
  const out = ['', '| client | rows | peak RSS MB | rows/s | CPU s |', '|---|---:|---:|---:|---:|'];
  for (const r of [small, large, loop]) out.push(`| ${r.client} | ${r.rows} | ${r.peakRssMb.toFixed(0)} | ${r.rowsPerSec.toFixed(0)} | ${r.cpuSec.toFixed(1)} |`);
  out.push('');
  out.push(`verdict ${rowsLarge} / ${rowsSmall} rows: peak RSS ${flat.toFixed(2)}x (within ${target}x: ${within(flat) ? 'met' : 'NOT met'})`);
  out.push(`verdict / loop at ${rowsLarge} rows: peak RSS ${againstLoop.toFixed(2)}x (<= ${target}x: ${againstLoop <= target ? 'met' : 'NOT met'})`);
  process.stdout.write(`${out.join('\n')}\n`);
}

try {
  report(await runBench());
} catch (error) {
  if (!(error instanceof BenchFailure)) throw error;
  process.stderr.write(`bench/memory: FAILED: ${error.message}\n`);
  process.exitCode = 1;
}
