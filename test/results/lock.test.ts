import { spawnSync } from 'node:child_process';
import { readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lockFiles, lockPathOf } from '../../src/results/lock.js';
import { useTempDir } from './helpers.js';

const temp = useTempDir();

/** The pid of a process that has exited: no process of this host has it now (barring reuse, vanishingly unlikely at once). */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('lockFiles', () => {
  it('writes pid, host and start time beside the file, and removes the lock on release', async () => {
    const file = temp.path('r.jsonl');
    const locks = await lockFiles([file], { command: 'verdict run' });
    const holder = JSON.parse(await readFile(lockPathOf(file), 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: hostname(), command: 'verdict run' });
    expect(Number.isNaN(Date.parse(holder.started_at))).toBe(false);
    await locks.release();
    await locks.release();
    expect(await readdir(temp.dir())).toEqual([]);
  });

  it('creates the directory of a results file that does not exist yet', async () => {
    const locks = await lockFiles([temp.path('new', 'dir', 'r.jsonl')], { command: 'verdict run' });
    expect(await readdir(temp.path('new', 'dir'))).toEqual(['r.jsonl.lock']);
    await locks.release();
  });

  it('refuses a file already locked, naming the holder (pid, host, since when)', async () => {
    const file = temp.path('r.jsonl');
    const first = await lockFiles([file], { command: 'verdict run' });
    try {
      await expect(lockFiles([file], { command: 'verdict run' })).rejects.toThrow(
        new RegExp(`r\\.jsonl is in use by verdict run \\(pid ${process.pid} on ${hostname()}, since \\d{4}-\\d\\d-\\d\\dT`),
      );
    } finally {
      await first.release();
    }
  });

  it('sees two symlinks to one file as one lock', async () => {
    await writeFile(temp.path('r.jsonl'), '');
    await symlink(temp.path('r.jsonl'), temp.path('alias.jsonl'));
    const first = await lockFiles([temp.path('alias.jsonl')], { command: 'verdict run' });
    try {
      await expect(lockFiles([temp.path('r.jsonl')], { command: 'verdict merge' })).rejects.toThrow(/in use by verdict run/);
    } finally {
      await first.release();
    }
  });

  it('takes over a lock left by a dead process of this host, with a note', async () => {
    const file = temp.path('r.jsonl');
    const pid = deadPid();
    await writeFile(lockPathOf(file), JSON.stringify({ pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'old' }));
    const notes: string[] = [];
    const locks = await lockFiles([file], { command: 'verdict run', onNote: (note) => notes.push(note) });
    expect(notes).toEqual([`took over the lock on ${file} left by verdict run (pid ${pid} on ${hostname()}, since 2026-01-01T00:00:00.000Z), which is no longer running`]);
    expect(JSON.parse(await readFile(lockPathOf(file), 'utf8')).pid).toBe(process.pid);
    await locks.release();
  });

  it('never takes over the lock of another host, whose pids mean nothing here', async () => {
    const file = temp.path('r.jsonl');
    await writeFile(lockPathOf(file), JSON.stringify({ pid: deadPid(), host: 'elsewhere', started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'x' }));
    await expect(lockFiles([file], { command: 'verdict run' })).rejects.toThrow(/in use by verdict run \(pid \d+ on elsewhere/);
  });

  it('releases the locks it took when a later one is held', async () => {
    const held = await lockFiles([temp.path('b.jsonl')], { command: 'verdict run' });
    await expect(lockFiles([temp.path('a.jsonl'), temp.path('b.jsonl')], { command: 'verdict run' })).rejects.toThrow(/b\.jsonl is in use/);
    await held.release();
    expect(await readdir(temp.dir())).toEqual([]);
  });

  it('leaves alone a lock that is no longer its own', async () => {
    const file = temp.path('r.jsonl');
    const locks = await lockFiles([file], { command: 'verdict run' });
    const other = JSON.stringify({ pid: 1, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'theirs' });
    await writeFile(lockPathOf(file), other);
    await locks.release();
    expect(await readFile(lockPathOf(file), 'utf8')).toBe(other);
  });
});
