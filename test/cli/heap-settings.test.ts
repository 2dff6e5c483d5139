import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAP_SETTINGS, heapFlags, MALLOC_SETTINGS, mallocEnv } from '../../bin/heap-settings.js';
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

describe('mallocEnv', () => {
  const run = { command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness'] };

  it('gives the commands that get the heap settings glibc settings too, on Linux', () => {
    expect(mallocEnv({ ...run, env: {} })).toEqual({ MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' });
    expect(mallocEnv({ command: 'batch', args: ['collect'], env: {} })).toEqual(MALLOC_SETTINGS);
  });

  it('gives none to the quick commands, a dry run, VERDICT_V8_DEFAULTS, or another platform', () => {
    for (const command of ['emulator', 'prompts', '--help', '--version', undefined]) expect(mallocEnv({ command, env: {} })).toEqual({});
    expect(mallocEnv({ command: 'run', args: ['--dry-run'], env: {} })).toEqual({});
    expect(mallocEnv({ ...run, env: { VERDICT_V8_DEFAULTS: '1' } })).toEqual({});
    expect(mallocEnv({ ...run, env: {}, platform: 'darwin' })).toEqual({});
    expect(mallocEnv({ ...run, env: {}, platform: 'win32' })).toEqual({});
  });

  it('leaves malloc alone when the user tuned it (which also stops a restarted process restarting)', () => {
    expect(mallocEnv({ ...run, env: { MALLOC_ARENA_MAX: '8' } })).toEqual({});
    expect(mallocEnv({ ...run, env: { MALLOC_MMAP_THRESHOLD_: '65536' } })).toEqual({});
    expect(mallocEnv({ ...run, env: { MALLOC_TRIM_THRESHOLD_: '0' } })).toEqual({});
    expect(mallocEnv({ ...run, env: { GLIBC_TUNABLES: 'glibc.malloc.arena_max=1' } })).toEqual({});
  });
});

describe.runIf(process.platform === 'linux' && typeof process.execve === 'function')('bin/verdict.js with the malloc settings', () => {
  const emulator = useEmulator({ seed: 3 });

  // A preload that notes, in every process image the bin runs as, its pid and MALLOC_ARENA_MAX.
  async function tracedRun(args: string[], env: NodeJS.ProcessEnv = {}) {
    const dir = await tempDir();
    const trace = path.join(dir, 'trace.jsonl');
    const preload = path.join(dir, 'trace.mjs');
    await writeFile(
      preload,
      `import { appendFileSync } from 'node:fs';\nappendFileSync(${JSON.stringify(trace)}, JSON.stringify({ pid: process.pid, arenas: process.env.MALLOC_ARENA_MAX ?? null }) + '\\n');\n`,
    );
    const dataset = await qaDataset(5, dir);
    const result = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', path.join(dir, 'out.jsonl'), ...args], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, NODE_OPTIONS: `--import=${preload}`, ...env },
    });
    const images = (await readFile(trace, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { pid: number; arenas: string | null });
    return { ...result, images, records: args.includes('--dry-run') ? [] : await readRecords(path.join(dir, 'out.jsonl')) };
  }

  it('restarts a run in place (same pid) with them, and the run completes', async () => {
    const { code, images, records } = await tracedRun([]);
    expect(code).toBe(0);
    expect(images).toHaveLength(2);
    expect(images[0]).toEqual({ pid: images[1]!.pid, arenas: null });
    expect(images[1]!.arenas).toBe('2');
    expect(records).toHaveLength(5);
    expect(emulator.stats().requests).toBe(5);
  });

  it('does not restart a dry run, or a run whose user tuned malloc', async () => {
    expect((await tracedRun(['--dry-run'])).images).toEqual([expect.objectContaining({ arenas: null })]);
    const tuned = await tracedRun([], { MALLOC_ARENA_MAX: '4' });
    expect(tuned.code).toBe(0);
    expect(tuned.images).toEqual([expect.objectContaining({ arenas: '4' })]);
  });
});
