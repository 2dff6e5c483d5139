import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { Io } from '../../src/io.js';

/** A captured terminal for running `main` in-process. */
export function captureIo(options: { env?: NodeJS.ProcessEnv; stdin?: string; interrupt?: AbortSignal } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const sink = (into: string[]) =>
    new Writable({
      write(chunk, _encoding, done) {
        into.push(String(chunk));
        done();
      },
    });
  const io: Io = {
    stdout: sink(out),
    stderr: sink(err),
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
    env: options.env ?? {},
    interrupt: options.interrupt,
  };
  return { io, stdout: () => out.join(''), stderr: () => err.join('') };
}

/** A fresh temporary directory for one test's files. */
export function tempDir(): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), 'verdict-test-'));
}
