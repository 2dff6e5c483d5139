// The verdict side of bench/overhead: `verdict run` driven in-process through main(), exactly as
// the bin shim does, with the built-in `correctness` prompt and a JSONL results file.
//
// Usage: node verdict-child.js <dataset.jsonl> <out.jsonl> <concurrency> <baseURL>
// Prints one JSON line: {wallMs, workMs, maxRssMb, cpuMs, rows, exitCode}.
// BENCH_V8_RUNTIME_FLAGS (set by --v8-runtime): V8 flags set with v8.setFlagsFromString before
// verdict is loaded, as a bin shim could. BENCH_VERDICT_CLI (set by --dist): the cli.js to load.
// BENCH_HEAP_SETTINGS=1: the memory settings bin/verdict.js applies (glibc's and --liftoff-only by restarting this
// process in place, then V8's), applied the same way.
import { readFile } from 'node:fs/promises';
import v8 from 'node:v8';
import { applyHeapSettings, restartWithStartSettings } from '../../bin/heap-settings.js';

const [file, out, concurrency, baseURL] = process.argv.slice(2);
const args = ['run', '-d', file, '-p', 'correctness', '-o', out, '--force', '--quiet', '-c', concurrency, '--base-url', baseURL];
if (process.env.BENCH_HEAP_SETTINGS === '1') {
  restartWithStartSettings(args);
  applyHeapSettings(args);
}
if (process.env.BENCH_V8_RUNTIME_FLAGS) v8.setFlagsFromString(process.env.BENCH_V8_RUNTIME_FLAGS);
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
