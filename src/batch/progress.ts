import type { BatchEvent } from './events.js';
import type { BatchPart } from './state.js';

/** Where batch progress goes and how: a live bar (TTY), a line on each change (CI logs), or nothing. */
export interface BatchProgressOptions {
  stream: NodeJS.WritableStream;
  style: 'bar' | 'lines' | 'none';
  /** Least time between two plain lines when only the counts moved. */
  intervalMs?: number;
  now?: () => number;
}

/** Turns batch events into a display; `stop()` clears it before the summary prints. */
export interface BatchProgress {
  onEvent(event: BatchEvent): void;
  stop(): void;
}

/** "3/5 batches done · 1 in_progress, 1 validating" and the request counts, from the last poll. */
export function describeParts(parts: readonly BatchPart[]): { statuses: string; done: number; total: number; failed: number } {
  const byStatus = new Map<string, number>();
  let done = 0;
  let total = 0;
  let failed = 0;
  for (const part of parts) {
    const status = part.status ?? 'not created';
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    done += part.request_counts.completed + part.request_counts.failed;
    failed += part.request_counts.failed;
    total += part.requests;
  }
  const statuses = [...byStatus].map(([status, n]) => `${n} ${status}`).join(', ');
  return { statuses: `${parts.length} batch${parts.length === 1 ? '' : 'es'}: ${statuses}`, done, total, failed };
}

function describe(event: BatchEvent): string | undefined {
  switch (event.type) {
    case 'note':
      return event.message;
    case 'uploaded':
      return `uploaded request file ${event.part}/${event.parts} (${event.requests} requests) as ${event.fileId}`;
    case 'created':
      return `created batch ${event.part}/${event.parts}: ${event.batchId}`;
    default:
      return undefined;
  }
}

/** Creates the display; the bar's module is loaded only when a bar is shown. */
export async function createBatchProgress(options: BatchProgressOptions): Promise<BatchProgress> {
  if (options.style === 'none') return { onEvent() {}, stop() {} };
  const now = options.now ?? (() => performance.now());
  const started = now();
  const elapsed = () => `${Math.round((now() - started) / 1000)}s`;
  if (options.style === 'lines') {
    const intervalMs = options.intervalMs ?? 10_000;
    let last = { text: '', statuses: '', at: Number.NEGATIVE_INFINITY };
    return {
      onEvent(event) {
        const message = describe(event);
        if (message) options.stream.write(`${message}\n`);
        if (event.type !== 'poll') return;
        const { statuses, done, total, failed } = describeParts(event.parts);
        const text = `[${elapsed()}] ${statuses}; ${done}/${total} requests done, ${failed} failed`;
        // A change of status always prints; moving counts print at most once per interval.
        if (statuses !== last.statuses || (text !== last.text && now() - last.at >= intervalMs)) {
          options.stream.write(`${text}\n`);
          last = { text, statuses, at: now() };
        }
      },
      stop() {},
    };
  }
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { stream: options.stream, format: '{bar} {value}/{total} requests | failed {failed} | {statuses} | {elapsed}', hideCursor: true, barsize: 24 },
    cliProgress.Presets.shades_classic,
  );
  let showing = false;
  return {
    onEvent(event) {
      const message = describe(event);
      if (message) {
        options.stream.write(`\r\x1b[2K${message}\n`);
        if (showing) bar.render();
      }
      if (event.type !== 'poll') return;
      const { statuses, done, total, failed } = describeParts(event.parts);
      const payload = { statuses, failed, elapsed: elapsed() };
      if (!showing) {
        bar.start(total, done, payload);
        showing = true;
      } else {
        bar.update(done, payload);
      }
    },
    stop() {
      if (showing) bar.stop();
    },
  };
}
