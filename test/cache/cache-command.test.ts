import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { entryPath, ENTRIES_FOLDER } from '../../src/cache/store.js';
import { captureIo, tempDir } from '../helpers/io.js';

let cacheDir: string;

beforeEach(async () => {
  cacheDir = path.join(await tempDir(), 'cache');
});

/** Writes `n` entry files of 100 bytes each, the first `old` of them last modified 10 days ago. */
async function fill(n: number, old = 0): Promise<void> {
  await mkdir(path.join(cacheDir, ENTRIES_FOLDER), { recursive: true });
  const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
  for (let i = 0; i < n; i++) {
    const file = entryPath(cacheDir, i.toString(16).padStart(64, '0'));
    await writeFile(file, 'x'.repeat(100));
    if (i < old) await utimes(file, tenDaysAgo, tenDaysAgo);
  }
}

async function cache(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { io, stdout, stderr } = captureIo({ env });
  const code = await main(['cache', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('verdict cache', () => {
  it('info shows the directory, its entries and their bytes', async () => {
    await fill(3);
    const { code, stdout } = await cache(['info', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain(cacheDir);
    expect(stdout).toMatch(/entries +3\n/);
    expect(stdout).toMatch(/bytes +300 \(300 B\)/);
  });

  it('info on a cache not made yet says 0 entries', async () => {
    const { code, stdout } = await cache(['info', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/entries +0\n/);
  });

  it('finds the cache under $XDG_CACHE_HOME/verdict, else $HOME/.cache/verdict', async () => {
    const root = path.dirname(cacheDir);
    expect((await cache(['info'], { XDG_CACHE_HOME: root })).stdout).toContain(path.join(root, 'verdict'));
    expect((await cache(['info'], { HOME: root })).stdout).toContain(path.join(root, '.cache', 'verdict'));
    // The XDG spec: a relative path in $XDG_CACHE_HOME is invalid and is ignored.
    expect((await cache(['info'], { XDG_CACHE_HOME: 'relative', HOME: root })).stdout).toContain(path.join(root, '.cache', 'verdict'));
    const nowhere = await cache(['info']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no cache directory');
  });

  it('clear empties the cache', async () => {
    await fill(4);
    const { code, stdout } = await cache(['clear', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain('removed 4 entries');
    expect(await readdir(path.join(cacheDir, ENTRIES_FOLDER))).toEqual([]);
  });

  it('prune --older-than 7d removes only the entries written more than 7 days ago', async () => {
    await fill(5, 2);
    const { code, stdout } = await cache(['prune', '--older-than', '7d', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain('removed 2 entries');
    expect(await readdir(path.join(cacheDir, ENTRIES_FOLDER))).toHaveLength(3);
  });

  it('prune exits 2 on a duration it cannot read, removing nothing', async () => {
    await fill(2, 2);
    const { code, stderr } = await cache(['prune', '--older-than', 'a week', '--cache-dir', cacheDir]);
    expect(code).toBe(2);
    expect(stderr).toContain('--older-than: "a week" is not a duration');
    expect(await readdir(path.join(cacheDir, ENTRIES_FOLDER))).toHaveLength(2);
  });
});
