// How the verdict process sizes its memory: V8's heap (below) and glibc's malloc (MALLOC_SETTINGS).
// See docs/benchmarks.md, "bench/memory", for the figures.
//
// Why: a run allocates ~170 KB per row (mostly the SDK and fetch building each request and
// response) and keeps almost none of it: about 40 MB is live at any time, however many rows. V8's
// defaults size the heap for throughput, not for that: the young generation grows to 64 MB a
// semi-space (128 MB of pages), and the old generation may grow to several times what is live
// before a full GC, so a 200,000-row run sat at 400-480 MB of RSS. Three settings keep it near
// what is live:
//   --semi-space-growth-factor=1  the young generation keeps its starting size (1 MB a semi-space)
//                                 instead of growing; scavenges are more frequent, each one small.
//   --heap-growing-percent=20     after a full GC the old generation may grow by 20% of what
//                                 survived before the next one, instead of V8's dynamic 1.1x-4x.
//   --no-maglev                   no mid-tier optimizing compiler: its compile jobs held ~25 MB of
//                                 malloc'd memory at the peak (V8's peak_malloced_memory 55 -> 30
//                                 MB), all of which stays in RSS. Turbofan still optimizes hot code.
// None is a limit: a run whose live data is large still gets all the heap it needs, it only
// collects more often on the way. The cost is CPU (about 1.4x at zero latency, where the client is
// the bottleneck; within a few percent of the throughput once the server takes 50 ms): see
// docs/benchmarks.md.
//
// They are set from inside the process with v8.setFlagsFromString, because the bin is started by
// `node bin/verdict.js`, `npx verdict` and npm's shims alike, and none of those lets us put flags
// on node's command line. V8 reads these flags each time it decides about the heap or a function's
// tier, so setting them before verdict is loaded takes effect (measured: bench/memory's
// --v8-runtime variants); the semi-space *maximum* (--max-semi-space-size) is fixed at start-up,
// which is why the growth factor is used instead.
//
// A flag the user gave node themselves (on the command line or in NODE_OPTIONS) wins: the matching
// setting is left alone. `node --heap-growing-percent=0 bin/verdict.js ...` restores V8's old-space
// growth, `--max-semi-space-size=<MB>` its young generation, `--maglev` its mid-tier compiler. And
// VERDICT_V8_DEFAULTS=1 in the environment leaves all of V8's defaults, for a CPU-bound run (a
// local judge answering at once) that would rather trade memory for speed.
import v8 from 'node:v8';

/** The settings, each with the node flags that, when the user gives one, mean "leave this to me". */
export const HEAP_SETTINGS = [
  { flag: '--semi-space-growth-factor=1', userFlags: ['semi-space-growth-factor', 'max-semi-space-size', 'min-semi-space-size'] },
  { flag: '--heap-growing-percent=20', userFlags: ['heap-growing-percent'] },
  { flag: '--no-maglev', userFlags: ['maglev', 'no-maglev'] },
];

/** A node flag's name without dashes or value, with V8's `_` spelling folded to `-`. */
function flagName(arg) {
  return arg.replace(/^--?/, '').split('=')[0].replaceAll('_', '-');
}

/**
 * Commands that keep V8's defaults: the quick ones, and the emulator (a test server, where
 * answering fast matters more than memory). Any non-default V8 flag costs start-up time, because
 * node's built-in modules then no longer match their embedded code cache (its key includes the
 * flags) and are compiled from source: about 50-60 ms of CPU, measured on `--help`. A run does not
 * notice it; `verdict --help` would.
 */
const KEEP_V8_DEFAULTS = new Set([undefined, 'emulator', 'prompts', 'help', '--help', '-h', '--version', '-V']);

/**
 * The V8 flags to set, given the command and its arguments (a command's --help is quick too, and a
 * --dry-run sends nothing), the flags node was started with (`process.execArgv`), NODE_OPTIONS and
 * VERDICT_V8_DEFAULTS.
 */
export function heapFlags({ command, args = [], execArgv = [], nodeOptions = '', v8Defaults = '' }) {
  if (!wantsMemorySettings({ command, args, v8Defaults })) return [];
  const given = givenFlags(execArgv, nodeOptions);
  return HEAP_SETTINGS.filter((setting) => !setting.userFlags.some((name) => given.has(name))).map((setting) => setting.flag);
}

/** The names of the node flags the user gave, on node's command line or in NODE_OPTIONS. */
function givenFlags(execArgv, nodeOptions) {
  return new Set([...execArgv, ...nodeOptions.split(/\s+/)].filter((arg) => arg.startsWith('-')).map(flagName));
}

/** Whether a command gets the memory settings: the ones that read datasets and send requests. */
function wantsMemorySettings({ command, args = [], v8Defaults = '' }) {
  if (KEEP_V8_DEFAULTS.has(command) || args.includes('--help') || args.includes('-h')) return false;
  // A dry run sends nothing: its pre-flight pass is CPU-bound, and its ids sit outside the V8 heap
  // (IdIndex), so the settings saved it little (154-162 vs 169-172 MB over 1,000,000 rows) and cost
  // it a quarter of its speed (38-46k vs 50-62k rows/s). See docs/benchmarks.md, "bench/memory".
  if (args.includes('--dry-run')) return false;
  return v8Defaults === '' || v8Defaults === '0';
}

/**
 * glibc's malloc settings, which only take effect when a process starts (glibc reads them from the
 * environment before any code of ours runs), so the bin restarts itself with them (see
 * restartWithStartSettings). Measured with /proc/self/smaps on 20,000- and 200,000-row runs
 * (docs/benchmarks.md, "bench/memory"):
 *   MALLOC_ARENA_MAX=2         glibc gives each thread that allocates its own 64 MB arena, up to 8
 *                              per core; V8's worker threads (compiling, the GC) and libuv's each
 *                              kept 2-10 MB resident in theirs, ~25 MB in all. Two arenas hold it
 *                              in ~3 MB.
 *   MALLOC_MMAP_THRESHOLD_=131072  glibc's default threshold (128 KiB) stays put. Otherwise the
 *                              first large block freed (the pre-flight's id index as it grows)
 *                              raises it to that block's size, and from then on allocations below
 *                              it come from the main heap, where they fragment and stay: the main
 *                              heap held 21 MB at 200,000 rows instead of 10.
 */
export const MALLOC_SETTINGS = { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };

/**
 * V8 flags that take effect only on node's command line, not from setFlagsFromString, so they are
 * given on the restart too; with the node flags that, when the user gives one, mean "leave this to
 * me".
 *   --liftoff-only   fetch parses HTTP with llhttp compiled to WebAssembly. Once it is hot, V8
 *                    recompiles its state machine with its optimizing compiler, on a worker thread,
 *                    in zones of up to 27 MB (seen with gdb: Turboshaft's loop unrolling), just
 *                    as a run's first requests come back: the largest single spike in a run's
 *                    RSS, 10-20 MB for a few milliseconds, larger than anything that grows with the
 *                    dataset. Liftoff, V8's baseline WebAssembly compiler, keeps it at ~5 MB.
 */
export const START_FLAGS = [
  { flag: '--liftoff-only', userFlags: ['liftoff-only', 'liftoff', 'no-liftoff', 'wasm-dynamic-tiering', 'no-wasm-dynamic-tiering'] },
];

/**
 * What to restart with: `env`, MALLOC_SETTINGS on Linux, unless the user tuned malloc themselves
 * (any MALLOC_* setting of glibc's, or GLIBC_TUNABLES); `flags`, START_FLAGS the user did not
 * give node (on its command line or in NODE_OPTIONS). Only for the commands that get the heap
 * settings. A restarted process has both, so it never restarts again.
 */
export function startSettings({ command, args = [], env = {}, execArgv = [], platform = 'linux' }) {
  const none = { env: {}, flags: [] };
  if (platform !== 'linux' || !wantsMemorySettings({ command, args, v8Defaults: env.VERDICT_V8_DEFAULTS ?? '' })) return none;
  const tuned = Object.keys(env).some((name) => /^MALLOC_[A-Z_]+_?$/.test(name)) || env.GLIBC_TUNABLES !== undefined;
  const given = givenFlags(execArgv, env.NODE_OPTIONS ?? '');
  return {
    env: tuned ? {} : { ...MALLOC_SETTINGS },
    flags: START_FLAGS.filter((setting) => !setting.userFlags.some((name) => given.has(name))).map((setting) => setting.flag),
  };
}

/**
 * Replaces this process with node running the same script and arguments, with startSettings added,
 * when there is anything to add. process.execve keeps the process id, its open files and its
 * parent: to the shell, a signal or a SIGKILL it is the same process, and nothing is left running
 * beside it. It costs a second start of node (~30 ms). Returns (having changed nothing) when there
 * is nothing to add, or where process.execve is missing (Windows, node < 23.11) or fails; verdict
 * then runs on with glibc's and V8's defaults for these. Call it first, before any output.
 */
export function restartWithStartSettings(argv = process.argv.slice(2)) {
  const { env, flags } = startSettings({
    command: argv[0],
    args: argv.slice(1),
    env: process.env,
    execArgv: process.execArgv,
    platform: process.platform,
  });
  if ((Object.keys(env).length === 0 && flags.length === 0) || typeof process.execve !== 'function') return;
  try {
    process.execve(process.execPath, [process.execPath, ...process.execArgv, ...flags, ...process.argv.slice(1)], { ...process.env, ...env });
  } catch {
    // Not restarted: run on as we are.
  }
}

/** Applies the heap settings to this process; call it before loading verdict. Returns what it set. */
export function applyHeapSettings(argv = process.argv.slice(2)) {
  const flags = heapFlags({
    command: argv[0],
    args: argv.slice(1),
    execArgv: process.execArgv,
    nodeOptions: process.env.NODE_OPTIONS ?? '',
    v8Defaults: process.env.VERDICT_V8_DEFAULTS ?? '',
  });
  for (const flag of flags) v8.setFlagsFromString(flag);
  return flags;
}
