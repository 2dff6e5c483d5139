import { existsSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAppender } from '../../src/results/file-appender.js';
import { useTempDir } from './helpers.js';

const temp = useTempDir();

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

async function spyOnFsync(): Promise<ReturnType<typeof vi.spyOn>> {
  // FileHandle is not exported by node:fs; its prototype is reachable from any open handle.
  const probe = await open(temp.path('probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { sync: () => Promise<void> };
  await probe.close();
  return vi.spyOn(proto, 'sync');
}

describe('openAppender', () => {
  it('fsyncs at most once per interval while dirty, and again on close', async () => {
    const fsync = await spyOnFsync();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const appender = await openAppender(temp.path('out.txt'), { syncIntervalMs: 1000 });

    await appender.append('a\n');
    await appender.append('b\n');
    expect(fsync).not.toHaveBeenCalled();

    await vi.advanceTimersByTimeAsync(1000);
    expect(fsync).toHaveBeenCalledTimes(1);

    await vi.advanceTimersByTimeAsync(5000);
    expect(fsync).toHaveBeenCalledTimes(1); // nothing new was written, so nothing to sync

    await appender.append('c\n');
    await appender.close();
    expect(fsync).toHaveBeenCalledTimes(2);
    expect(await readFile(temp.path('out.txt'), 'utf8')).toBe('a\nb\nc\n');
  });

  it('gathers appends that arrive during a write into one write call, in order, each resolving once written', async () => {
    const probe = await open(temp.path('probe2'), 'w');
    const proto = Object.getPrototypeOf(probe) as { write: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const writes = vi.spyOn(proto, 'write');
    const file = temp.path('batched.txt');
    const appender = await openAppender(file);
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i}\n`);
    await Promise.all(
      lines.map(async (line) => {
        await appender.append(line);
        // Resolved means written: the line is in the file already.
        expect(await readFile(file, 'utf8')).toContain(line);
      }),
    );
    await appender.close();
    expect(await readFile(file, 'utf8')).toBe(lines.join(''));
    expect(writes.mock.calls.length).toBeLessThan(10);
  });

  it.runIf(existsSync('/dev/full'))('rejects every append after a failed write, and close reports it', async () => {
    const appender = await openAppender('/dev/full');
    await expect(appender.append('x'.repeat(10))).rejects.toThrow(/ENOSPC/);
    await expect(appender.append('y')).rejects.toThrow(/ENOSPC/);
    await expect(appender.close()).rejects.toThrow(/ENOSPC/);
  });
});

describe('openAppender with a disk that fills up (injected writeBytes)', () => {
  it('rejects the append that failed, every later one and the close, and keeps what was written whole', async () => {
    let calls = 0;
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const appender = await openAppender(temp.path('out.txt'), {
      writeBytes: (handle, bytes, offset, length) => (++calls === 3 ? Promise.reject(enospc) : handle.write(bytes, offset, length)),
    });
    await appender.append('a\n');
    await appender.append('b\n');
    await expect(appender.append('c\n')).rejects.toBe(enospc);
    await expect(appender.append('d\n')).rejects.toBe(enospc);
    await expect(appender.close()).rejects.toBe(enospc);
    expect(await readFile(temp.path('out.txt'), 'utf8')).toBe('a\nb\n');
  });
});

describe('openAppender after a short write', () => {
  it('cuts the file back to its last whole append when the rest of a write is refused', async () => {
    await import('node:fs/promises').then((fs) => fs.writeFile(temp.path('out.txt'), 'earlier\n'));
    let calls = 0;
    const appender = await openAppender(temp.path('out.txt'), {
      mode: 'append',
      // The second append: two bytes go through, then the disk is full.
      writeBytes: (handle, bytes, offset, length) => {
        calls++;
        if (calls === 2) return handle.write(bytes, offset, 2);
        if (calls === 3) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
        return handle.write(bytes, offset, length);
      },
    });
    await appender.append('a\n');
    await expect(appender.append('bbbb\n')).rejects.toThrow(/ENOSPC/);
    await expect(appender.close()).rejects.toThrow(/ENOSPC/);
    expect(await readFile(temp.path('out.txt'), 'utf8')).toBe('earlier\na\n');
  });
});
