import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_SETTINGS, heapFlags, MALLOC_SETTINGS, START_FLAGS, startSettings } from '../../bin/heap-settings.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { useEmulator } from '../helpers/emulator.js';
import { runBin } from '../helpers/spawn.js';

const all = HEAP_SETTINGS.map((setting) => setting.flag);

describe('heapFlags', () => {
  it('keeps the heap near what is live for the commands that read datasets and results', () => {
    for (const command of ['run', 'batch', 'merge']) {
      expect(heapFlags({ command })).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=20', '--no-maglev']);
    }
  });

  it("leaves the emulator and the quick commands on V8's defaults, so their start-up is not slowed", () => {
    for (const command of ['emulator', 'prompts', 'help', '--help', '--version', undefined]) {
      expect(heapFlags({ command })).toEqual([]);
    }
    expect(heapFlags({ command: 'run', args: ['--help'] })).toEqual([]);
  });

  it('leaves a dry run, which sends nothing and is CPU-bound, on V8\'s defaults', () => {
    expect(heapFlags({ command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness', '--dry-run'] })).toEqual([]);
    expect(heapFlags({ command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness'] })).toEqual(all);
  });

  it("leaves V8's defaults when VERDICT_V8_DEFAULTS is set", () => {
    expect(heapFlags({ command: 'run', v8Defaults: '1' })).toEqual([]);
    expect(heapFlags({ command: 'run', v8Defaults: '0' })).toEqual(all);
  });

  it.each([
    ['--max-semi-space-size=64', '--semi-space-growth-factor=1'],
    ['--max_semi_space_size=64', '--semi-space-growth-factor=1'],
    ['--min-semi-space-size=16', '--semi-space-growth-factor=1'],
    ['--heap-growing-percent=0', '--heap-growing-percent=20'],
    ['--maglev', '--no-maglev'],
  ])('a flag the user gave node (%s) wins over %s', (userFlag, dropped) => {
    const expected = all.filter((flag) => flag !== dropped);
    expect(heapFlags({ command: 'run', execArgv: [userFlag] })).toEqual(expected);
    expect(heapFlags({ command: 'run', nodeOptions: `--enable-source-maps ${userFlag}` })).toEqual(expected);
  });
});

describe('bin/verdict.js with the heap settings', () => {
  it('runs a command that gets them', async () => {
    const dataset = await qaDataset(3);
    const { code, stdout } = await runBin(['run', '-d', dataset, '-p', 'correctness', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^rows: 3$/m);
  });
});

describe('startSettings', () => {
  const run = { command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness'] };
  const full = { env: { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }, flags: ['--liftoff-only'] };
  const none = { env: {}, flags: [] };

  it('gives the commands that get the heap settings glibc settings and --liftoff-only too, on Linux', () => {
    expect(startSettings({ ...run, env: {} })).toEqual(full);
    expect(startSettings({ command: 'batch', args: ['collect'], env: {} })).toEqual({ env: { ...MALLOC_SETTINGS }, flags: START_FLAGS.map((s) => s.flag) });
  });

  it('gives none to the quick commands, a dry run, VERDICT_V8_DEFAULTS, or another platform', () => {
    for (const command of ['emulator', 'prompts', '--help', '--version', undefined]) expect(startSettings({ command, env: {} })).toEqual(none);
    expect(startSettings({ command: 'run', args: ['--dry-run'], env: {} })).toEqual(none);
    expect(startSettings({ ...run, env: { VERDICT_V8_DEFAULTS: '1' } })).toEqual(none);
    expect(startSettings({ ...run, env: {}, platform: 'darwin' })).toEqual(none);
    expect(startSettings({ ...run, env: {}, platform: 'win32' })).toEqual(none);
  });

  it('leaves malloc alone when the user tuned it', () => {
    for (const env of [{ MALLOC_ARENA_MAX: '8' }, { MALLOC_MMAP_THRESHOLD_: '65536' }, { MALLOC_TRIM_THRESHOLD_: '0' }, { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' }]) {
      expect(startSettings({ ...run, env })).toEqual({ env: {}, flags: ['--liftoff-only'] });
    }
  });

  it('leaves WebAssembly tiering alone when the user set it, on the command line or in NODE_OPTIONS', () => {
    expect(startSettings({ ...run, env: {}, execArgv: ['--no-liftoff'] })).toEqual({ env: full.env, flags: [] });
    expect(startSettings({ ...run, env: { NODE_OPTIONS: '--wasm-dynamic-tiering' } })).toEqual({ env: full.env, flags: [] });
  });

  it('has nothing to add for a process already restarted with them, so it never restarts twice', () => {
    expect(startSettings({ ...run, env: { ...full.env }, execArgv: [...full.flags] })).toEqual(none);
  });
});

describe.runIf(process.platform === 'linux' && typeof process.execve === 'function')('bin/verdict.js with the start settings', () => {
  const emulator = useEmulator({ seed: 3 });

  // A preload that notes, in every process image the bin runs as, its pid, MALLOC_ARENA_MAX and
  // whether node was started with --liftoff-only.
  async function tracedRun(args: string[], env: NodeJS.ProcessEnv = {}) {
    const dir = await tempDir();
    const trace = path.join(dir, 'trace.jsonl');
    const preload = path.join(dir, 'trace.mjs');
    await writeFile(
      preload,
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(trace)}, JSON.stringify({ pid: process.pid, arenas: process.env.MALLOC_ARENA_MAX ?? null, liftoffOnly: process.execArgv.includes('--liftoff-only') }) + '\\n');\n`,
    );
    const dataset = await qaDataset(5, dir);
    const result = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', path.join(dir, 'out.jsonl'), ...args], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, NODE_OPTIONS: `--import=${preload}`, ...env },
    });
    const images = (await readFile(trace, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { pid: number; arenas: string | null; liftoffOnly: boolean });
    return { ...result, images, records: args.includes('--dry-run') ? [] : await readRecords(path.join(dir, 'out.jsonl')) };
  }

  it('restarts a run in place (same pid) with them, and the run completes', async () => {
    const { code, images, records } = await tracedRun([]);
    expect(code).toBe(0);
    expect(images).toHaveLength(2);
    expect(images[0]).toEqual({ pid: images[1]!.pid, arenas: null, liftoffOnly: false });
    expect(images[1]).toEqual({ pid: images[0]!.pid, arenas: '2', liftoffOnly: true });
    expect(records).toHaveLength(5);
    expect(emulator.stats().requests).toBe(5);
  });

  it('does not restart a dry run, and leaves malloc as the user tuned it', async () => {
    expect((await tracedRun(['--dry-run'])).images).toEqual([expect.objectContaining({ arenas: null, liftoffOnly: false })]);
    // The user's malloc setting stays as it is; only the flag is added.
    const tuned = await tracedRun([], { MALLOC_ARENA_MAX: '4' });
    expect(tuned.code).toBe(0);
    expect(tuned.images.map((image) => [image.arenas, image.liftoffOnly])).toEqual([
      ['4', false],
      ['4', true],
    ]);
  });
});
