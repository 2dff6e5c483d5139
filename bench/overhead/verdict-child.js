// The verdict side of bench/overhead and bench/memory: `verdict run` driven in-process through
// main(), as bin/verdict.js does, with the built-in `correctness` prompt and a JSONL results file.
//
// Usage: node verdict-child.js <dataset.jsonl> <out.jsonl> <concurrency> <baseURL>
// Prints one JSON line: {wallMs, workMs, maxRssMb, cpuMs, rows, exitCode}.
// BENCH_VERDICT_CLI (set by --dist): the cli.js to load instead of dist/cli.js.
// BENCH_VERDICT_CACHE=off: --no-cache. Otherwise the response cache is on, as it is by default, in
// a fresh folder: every round pays what a first run pays (every answer written, none read). The
// folder is made in the working directory, which the bench removes at its end, not after each
// round: deleting thousands of files just before the next round slows the file system under it
// (a disk mounted with online discard, as here), which is the bench's cost, not verdict's.
import { mkdtemp, readFile } from 'node:fs/promises';
import module from 'node:module';
import path from 'node:path';

const [file, out, concurrency, baseURL] = process.argv.slice(2);
const cacheDir = process.env.BENCH_VERDICT_CACHE === 'off' ? undefined : await mkdtemp(path.join(process.cwd(), 'verdict-cache-'));
const cacheArgs = cacheDir === undefined ? ['--no-cache'] : ['--cache-dir', cacheDir];
const args = ['run', '-d', file, '-p', 'correctness', '-o', out, '--force', '--quiet', '-c', concurrency, '--base-url', baseURL, ...cacheArgs];
// As bin/verdict.js does before loading verdict: node's on-disk cache of compiled modules.
module.enableCompileCache?.();
const { main, processIo } = await import(process.env.BENCH_VERDICT_CLI || '../../dist/cli.js');

const workStarted = performance.now();

const io = processIo();
// The emulator accepts any key; never hand it a real one from the environment.
io.env = { ...io.env, OPENAI_API_KEY: 'bench-overhead-dummy-key' };
const exitCode = await main(args, io);

const done = performance.now();
const maxRssMb = process.resourceUsage().maxRSS / 1024;
const cpu = cpuMs();
const rows = (await readFile(out, 'utf8')).split('\n').filter((line) => line !== '').length;
process.stdout.write(`${JSON.stringify({ wallMs: done, workMs: done - workStarted, maxRssMb, cpuMs: cpu, rows, exitCode })}\n`);

/** User + system CPU time of this process so far, in ms (all threads: main, libuv pool, GC). */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
