import { ExitCode } from './errors.js';

/** The terminal a command talks to; injectable so tests can run `main` in-process. */
export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  /** Fires on the first Ctrl-C (or SIGTERM, SIGHUP): stop starting rows, let requests in flight finish. */
  interrupt?: AbortSignal;
  /** Fires on the second: abort the requests in flight too. */
  abortNow?: AbortSignal;
}

/** The real terminal and environment, with Ctrl-C / SIGTERM turned into the `interrupt` signal. */
export function processIo(): Io {
  const interrupt = new AbortController();
  const abortNow = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) interrupt.abort(new Error(signal));
    // The second aborts what is in flight; the run still closes its files, so no line is torn.
    else if (interrupts === 2) abortNow.abort(new Error(signal));
    // A third means the user has given up on a clean stop.
    else process.exit(ExitCode.interrupted);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // A closed terminal or SSH session: stop as on SIGTERM (summary, the command that continues), not die mid-write.
  process.on('SIGHUP', onSignal);
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupt: interrupt.signal,
    abortNow: abortNow.signal,
  };
}
