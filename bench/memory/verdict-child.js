// The measured child of bench/memory: one `verdict run` driven in-process through main(), exactly
// as the bin shim does (the built-in `correctness` prompt, a JSONL results file), while a timer
// samples this process's memory so the parent can show whether it stays flat.
//
// Usage: node [v8 flags] verdict-child.js <spec.json>
//   spec: { dataset, out, concurrency, baseURL | null, dryRun, sampleMs, heapSettings, runtimeFlags?, cli?,
//           liveSampleMs?, snapshotAtMs?: number[], snapshotDir?, allocProfileDir? }
// Prints one JSON line on stdout: { wallMs, workMs, maxRssMb, cpuMs, exitCode, samples, heap, ... }.
// verdict's own stdout (the --dry-run report) is counted, not printed, so that line stays the last.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';
import { Writable } from 'node:stream';
import v8 from 'node:v8';
import { applyHeapSettings, restartWithStartSettings } from '../../bin/heap-settings.js';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const args = ['run', '-d', spec.dataset, '-p', 'correctness', '--quiet', '-c', String(spec.concurrency)];
if (spec.dryRun) args.push('--dry-run');
else args.push('-o', spec.out, '--force', '--base-url', spec.baseURL);
// heapSettings: the memory settings bin/verdict.js applies before it loads verdict, for these same
// arguments, applied the same way: glibc's and --liftoff-only by restarting this process in place
// (same pid, so the parent's pipes and peak-RSS reading are unchanged), then V8's heap flags.
if (spec.heapSettings) restartWithStartSettings(args);
const heapFlags = spec.heapSettings ? applyHeapSettings(args) : [];
// --v8-runtime: flags set from inside the running process, before verdict is loaded, as
// bin/verdict.js could do with v8.setFlagsFromString (as opposed to flags on node's command line).
if (spec.runtimeFlags) v8.setFlagsFromString(spec.runtimeFlags);
const { main, processIo } = await import(spec.cli ?? '../../dist/cli.js');
const workStarted = performance.now();
const mb = (bytes) => Math.round((bytes / 1024 / 1024) * 10) / 10;

// The timeline: every sampleMs, RSS and the V8 heap as this process sees them. Unref'd, so it never
// keeps the process alive; one sample costs a few microseconds.
const samples = [];
const sample = () => {
  const m = process.memoryUsage();
  samples.push({
    t: Math.round(performance.now()),
    rssMb: mb(m.rss),
    heapUsedMb: mb(m.heapUsed),
    heapTotalMb: mb(m.heapTotal),
    externalMb: mb(m.external),
    arrayBuffersMb: mb(m.arrayBuffers),
  });
};
sample();
const sampler = setInterval(sample, spec.sampleMs);
sampler.unref();

// Optional (--live-heap): with --expose-gc, a full GC then a sample every liveSampleMs, which shows
// the live heap (what is retained) rather than the heap V8 lets fill with garbage. Diagnostic only:
// the forced GCs change both speed and peak RSS.
const live = [];
if (spec.liveSampleMs !== undefined && typeof globalThis.gc === 'function') {
  const liveTimer = setInterval(() => {
    globalThis.gc();
    const m = process.memoryUsage();
    live.push({ t: Math.round(performance.now()), liveHeapMb: mb(m.heapUsed), rssMb: mb(m.rss), externalMb: mb(m.external) });
  }, spec.liveSampleMs);
  liveTimer.unref();
}

// Optional: heap snapshots at set times into the run (for the retainer analysis; two moments show
// what grows). Writing one blocks the process and costs memory of its own, so figures from such a
// run are not reported.
const snapshotFiles = [];
for (const atMs of spec.snapshotAtMs ?? []) {
  const timer = setTimeout(() => {
    const name = `verdict-${process.pid}-${Math.round(atMs / 1000)}s.heapsnapshot`;
    snapshotFiles.push(v8.writeHeapSnapshot(path.join(spec.snapshotDir, name)));
  }, atMs);
  timer.unref();
}

// Optional (--alloc-profile): V8's sampling heap profiler, counting objects the GC has already
// collected too, so the profile shows allocation churn (what makes V8 grow its heap), not only
// what is retained. `node bench/memory/alloc-top.js <file>` summarises it.
let allocSession;
if (spec.allocProfileDir !== undefined) {
  allocSession = new Session();
  allocSession.connect();
  await allocSession.post('HeapProfiler.startSampling', {
    samplingInterval: 32_768,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: true,
  });
}

const io = processIo();
// The emulator accepts any key; never hand it a real one from the environment. A dry run needs none.
io.env = { ...io.env, OPENAI_API_KEY: spec.dryRun ? undefined : 'bench-memory-dummy-key', OPENAI_BASE_URL: undefined };
let stdoutText = '';
io.stdout = new Writable({
  write(chunk, _encoding, callback) {
    if (stdoutText.length < 65_536) stdoutText += chunk.toString('utf8');
    callback();
  },
});

const exitCode = await main(args, io);
const done = performance.now();
sample();
clearInterval(sampler);

let allocProfileFile;
if (allocSession) {
  const { profile } = await allocSession.post('HeapProfiler.stopSampling');
  allocSession.disconnect();
  allocProfileFile = path.join(spec.allocProfileDir, `verdict-${process.pid}.heapprofile`);
  writeFileSync(allocProfileFile, JSON.stringify(profile));
}

const { user, system } = process.cpuUsage();
const heap = v8.getHeapStatistics();
const spaces = Object.fromEntries(
  v8.getHeapSpaceStatistics().map((s) => [s.space_name, { sizeMb: mb(s.space_size), usedMb: mb(s.space_used_size) }]),
);
process.stdout.write(
  `${JSON.stringify({
    wallMs: done,
    workMs: done - workStarted,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: (user + system) / 1000,
    exitCode,
    // The dry run's own count of rows, from its report ("rows: N").
    reportedRows: Number(/^rows: (\d+)$/m.exec(stdoutText)?.[1] ?? NaN),
    execArgv: process.execArgv,
    heapFlags,
    heap: {
      totalMb: mb(heap.total_heap_size),
      usedMb: mb(heap.used_heap_size),
      limitMb: mb(heap.heap_size_limit),
      mallocedMb: mb(heap.malloced_memory),
      peakMallocedMb: mb(heap.peak_malloced_memory),
      spaces,
    },
    snapshotFiles,
    allocProfileFile,
    samples,
    live,
  })}\n`,
);
