import { mkdir, readdir, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { entryText } from '../../src/cache/entry.js';
import { LEGACY_FOLDER, PACKS_FOLDER } from '../../src/cache/pack-index.js';
import { captureIo, tempDir } from '../helpers/io.js';

let cacheDir: string;

beforeEach(async () => {
  cacheDir = path.join(await tempDir(), 'cache');
});

const completion = { id: 'c', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content: '{"score":4}' }, finish_reason: 'stop' }] } as unknown as ChatCompletion;
const DAY = 86_400_000;
let keys = 0;

/** Writes a pack of `n` whole entries (and `tail`, a cut line, after them), last written `daysAgo` days ago; returns its path. */
async function pack(name: string, n: number, daysAgo = 0, tail = ''): Promise<string> {
  await mkdir(path.join(cacheDir, PACKS_FOLDER), { recursive: true });
  const file = path.join(cacheDir, PACKS_FOLDER, `${name}.jsonl`);
  const lines = Array.from({ length: n }, () => entryText((keys++).toString(16).padStart(64, '0'), completion, new Date()));
  await writeFile(file, lines.join('') + tail);
  const when = new Date(Date.now() - daysAgo * DAY);
  await utimes(file, when, when);
  return file;
}

/** Writes files of the older layout, one file per entry: `v1/<key>.json` and a writer's leftover `.tmp`, last written `daysAgo` days ago. */
async function legacy(entries: number, daysAgo = 0): Promise<void> {
  await mkdir(path.join(cacheDir, LEGACY_FOLDER), { recursive: true });
  const when = new Date(Date.now() - daysAgo * DAY);
  const names = [...Array.from({ length: entries }, () => `${(keys++).toString(16).padStart(64, '0')}.json`), `${(keys++).toString(16)}.json.1.ab.0.tmp`];
  for (const name of names) {
    await writeFile(path.join(cacheDir, LEGACY_FOLDER, name), 'x'.repeat(100));
    await utimes(path.join(cacheDir, LEGACY_FOLDER, name), when, when);
  }
}

const packsLeft = async () => readdir(path.join(cacheDir, PACKS_FOLDER));

async function cache(args: string[], env: NodeJS.ProcessEnv = {}) {
  const { io, stdout, stderr } = captureIo({ env });
  const code = await main(['cache', ...args], io);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('verdict cache', () => {
  it('info counts the whole entries of every pack, their bytes, and when the packs were last written', async () => {
    const older = await pack('20260101T000000000Z-1-aa', 3, 10);
    // The last line of this one was cut mid-entry by a crash: not an entry.
    const newer = await pack('20260102T000000000Z-2-bb', 2, 1, '{"format":"verdict-cache/1","key":"00');
    const { code, stdout } = await cache(['info', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain(cacheDir);
    expect(stdout).toMatch(/entries +5\n/);
    const bytes = (await stat(older)).size + (await stat(newer)).size;
    expect(stdout).toContain(`bytes     ${bytes} (`);
    expect(stdout).toContain(`oldest    ${(await stat(older)).mtime.toISOString()}`);
    expect(stdout).toContain(`newest    ${(await stat(newer)).mtime.toISOString()}`);
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

  it('clear removes every pack, and the files of the older one-file-per-entry layout', async () => {
    await pack('20260101T000000000Z-1-aa', 3);
    await pack('20260102T000000000Z-2-bb', 1);
    await legacy(2);
    const { code, stdout } = await cache(['clear', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain('removed 6 entries');
    expect(await packsLeft()).toEqual([]);
    expect(await readdir(cacheDir)).toEqual([PACKS_FOLDER]);
  });

  it('prune --older-than 7d removes the packs (and older-layout files) last written more than 7 days ago', async () => {
    await pack('20260101T000000000Z-1-aa', 3, 10);
    await pack('20260102T000000000Z-2-bb', 2, 8);
    await pack('20260103T000000000Z-3-cc', 4, 1);
    await legacy(2, 9);
    await legacy(1, 0);
    const { code, stdout } = await cache(['prune', '--older-than', '7d', '--cache-dir', cacheDir]);
    expect(code).toBe(0);
    expect(stdout).toContain('removed 7 entries');
    expect(await packsLeft()).toEqual(['20260103T000000000Z-3-cc.jsonl']);
    expect(await readdir(path.join(cacheDir, LEGACY_FOLDER))).toHaveLength(2);
    expect((await cache(['info', '--cache-dir', cacheDir])).stdout).toMatch(/entries +4\n/);
  });

  it('prune exits 2 on a duration it cannot read, removing nothing', async () => {
    await pack('20260101T000000000Z-1-aa', 2, 10);
    const { code, stderr } = await cache(['prune', '--older-than', 'a week', '--cache-dir', cacheDir]);
    expect(code).toBe(2);
    expect(stderr).toContain('--older-than: "a week" is not a duration');
    expect(await packsLeft()).toHaveLength(1);
  });
});
