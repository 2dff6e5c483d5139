import { randomBytes } from 'node:crypto';
import { unlinkSync, readFileSync } from 'node:fs';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hostname } from 'node:os';
import * as z from 'zod';
import { UsageError } from '../errors.js';
import { identityOf } from './output-paths.js';

/** Who holds a lock: written into the lock file. */
export const LockHolder = z.object({
  pid: z.number().int(),
  host: z.string(),
  started_at: z.string(),
  command: z.string(),
  /** Tells this holder's lock from a later one with the same pid (a pid is reused). */
  token: z.string(),
});
export type LockHolder = z.infer<typeof LockHolder>;

/** Locks held together; `release` frees them all and may be called more than once. */
export interface HeldLocks {
  release(): Promise<void>;
}

/** Options of {@link lockFiles}; the process facts are injectable for tests. */
export interface LockOptions {
  /** What holds the lock, for the message a second process prints ("verdict run"). */
  command: string;
  /** A one-line note when a stale lock is taken over. */
  onNote?: (message: string) => void;
  pid?: number;
  host?: string;
  /** Whether a process of this host is alive; by default a signal 0 probe. */
  isRunning?: (pid: number) => boolean;
}

/** The lock file of a results file, beside its real path (so two symlinks to one file share it). */
export function lockPathOf(realPath: string): string {
  return `${realPath}.lock`;
}

/**
 * Takes an exclusive lock on each file (`<real path>.lock`, holding pid, host and start time) for
 * the life of a run, or throws a UsageError naming the holder. A lock left by a process of this host
 * that is no longer running is taken over, with a note. Locks are released by `release`, and on
 * process exit (a third Ctrl-C exits at once) as a last resort.
 */
export async function lockFiles(files: readonly string[], options: LockOptions): Promise<HeldLocks> {
  const held: Lock[] = [];
  try {
    const reals = [...new Set(await Promise.all(files.map(async (file) => (await identityOf(file)).real)))];
    for (const real of reals) held.push(await takeLock(real, options));
  } catch (error) {
    await Promise.all(held.map((lock) => lock.release()));
    throw error;
  }
  return { release: async () => void (await Promise.all(held.map((lock) => lock.release()))) };
}

interface Lock {
  release(): Promise<void>;
}

async function takeLock(real: string, options: LockOptions): Promise<Lock> {
  const lockPath = lockPathOf(real);
  const me: LockHolder = {
    pid: options.pid ?? process.pid,
    host: options.host ?? hostname(),
    started_at: new Date().toISOString(),
    command: options.command,
    token: randomBytes(8).toString('hex'),
  };
  const content = `${JSON.stringify(me)}\n`;
  // Written whole to a file of our own, then linked into place: link fails if the lock exists, and a
  // reader never sees a lock file half written.
  const draft = `${lockPath}.${me.pid}.${me.token}`;
  // `-o new/dir/results.jsonl` creates its directory; the lock comes first, so it creates it.
  await mkdir(dirname(lockPath), { recursive: true });
  await writeFile(draft, content, { flag: 'wx' });
  try {
    // A few rounds: each either takes the lock, finds it held, or clears a stale one and tries again.
    for (let attempt = 0; ; attempt++) {
      try {
        await link(draft, lockPath);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const holder = await readHolder(lockPath);
      if (holder === 'gone') continue;
      if (attempt >= 3 || !isStale(holder.value, me, options)) throw heldError(real, lockPath, holder.value);
      // Remove the stale lock only if it is still the one judged stale (same inode), then try again.
      if ((await stat(lockPath).catch(() => undefined))?.ino !== holder.ino) continue;
      await unlink(lockPath).catch(() => undefined);
      options.onNote?.(
        holder.value
          ? `took over the lock on ${real} left by ${describeHolder(holder.value)}, which is no longer running`
          : `took over the unreadable lock file ${lockPath}`,
      );
    }
  } finally {
    await unlink(draft).catch(() => undefined);
  }

  const ours = () => {
    try {
      return readFileSync(lockPath, 'utf8') === content;
    } catch {
      return false;
    }
  };
  const onExit = () => {
    if (ours()) unlinkSync(lockPath);
  };
  process.on('exit', onExit);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      process.off('exit', onExit);
      // Never remove a lock that is no longer ours (someone judged it stale and took it).
      if ((await readFile(lockPath, 'utf8').catch(() => '')) === content) await unlink(lockPath).catch(() => undefined);
    },
  };
}

/** The lock file's holder and inode; `undefined` holder when it cannot be read as one; 'gone' when it vanished. */
async function readHolder(lockPath: string): Promise<{ value: LockHolder | undefined; ino: number } | 'gone'> {
  try {
    const { ino } = await stat(lockPath);
    const text = await readFile(lockPath, 'utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = undefined;
    }
    const parsed = LockHolder.safeParse(value);
    return { value: parsed.success ? parsed.data : undefined, ino };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw error;
  }
}

/** Stale: held by a process of this host that is gone. A lock of another host is never judged (its pid means nothing here). */
function isStale(holder: LockHolder | undefined, me: LockHolder, options: LockOptions): boolean {
  // A lock file that is not one of ours was never written by a live verdict (ours are linked into place whole).
  if (holder === undefined) return true;
  if (holder.host !== me.host) return false;
  if (holder.pid === me.pid) return false;
  return !(options.isRunning ?? isRunning)(holder.pid);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function describeHolder(holder: LockHolder): string {
  return `${holder.command} (pid ${holder.pid} on ${holder.host}, since ${holder.started_at})`;
}

function heldError(real: string, lockPath: string, holder: LockHolder | undefined): UsageError {
  return new UsageError(
    `${real} is in use by ${holder ? describeHolder(holder) : 'another process'}: two runs must not write one results file`,
    `wait for it to finish, or write somewhere else; if that process is not verdict, delete ${lockPath}`,
  );
}
