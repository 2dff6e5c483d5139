import type { RunEvent } from '../run/events.js';
import { formatRates, formatWaiting, RateStatus } from './rate-status.js';

/** Where progress goes and how. */
export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** A live bar (TTY) or a plain line every few seconds (CI logs). */
  style: 'bar' | 'lines' | 'none';
  /** Between plain lines, in ms. */
  intervalMs?: number;
  now?: () => number;
}

/** Turns run events into a progress display; `stop()` clears it before the summary prints. */
export interface ProgressReporter {
  onEvent(event: RunEvent): void;
  /** Writes a message without tearing the bar. */
  log(line: string): void;
  stop(): void;
}

interface Tally {
  rows: number;
  done: number;
  errors: number;
  retries: number;
  rateLimited: number;
  tokens: number;
}

/** Creates the reporter for a run; the bar's module is loaded only when a bar is shown. */
export async function createProgress(options: ProgressOptions): Promise<ProgressReporter> {
  if (options.style === 'none') return { onEvent() {}, log() {}, stop() {} };
  return options.style === 'bar' ? createBar(options) : createLines(options);
}

function tallyEvent(tally: Tally, event: RunEvent): void {
  switch (event.type) {
    case 'start':
      tally.rows = event.rows;
      break;
    case 'retry':
      tally.retries++;
      break;
    case 'rate-limited':
      tally.rateLimited++;
      break;
    case 'row':
      tally.done++;
      if (event.record.error) tally.errors++;
      tally.tokens += event.record.usage.prompt_tokens + event.record.usage.completion_tokens;
      break;
    default:
      break;
  }
}

function formatTokens(tokens: number): string {
  if (tokens >= 1e6) return `${(tokens / 1e6).toFixed(1)}M`;
  if (tokens >= 1e3) return `${(tokens / 1e3).toFixed(1)}k`;
  return String(tokens);
}

function describe(event: RunEvent): string | undefined {
  if (event.type === 'note') return event.message;
  if (event.type === 'start' && event.alreadyGraded > 0) return `resuming: ${event.alreadyGraded} rows already graded, ${event.rows} to grade`;
  if (event.type === 'stopping') return event.reason === 'cancelled' ? 'interrupted: stopping, keeping what was graded' : `stopping: ${event.message}`;
  if (event.type === 'structured-outputs-off') return 'the server has no structured outputs: reading plain-text answers';
  return undefined;
}

async function createBar(options: ProgressOptions): Promise<ProgressReporter> {
  const { default: cliProgress } = await import('cli-progress');
  const tally: Tally = { rows: 0, done: 0, errors: 0, retries: 0, rateLimited: 0, tokens: 0 };
  const now = options.now ?? (() => performance.now());
  const bar = new cliProgress.SingleBar(
    {
      stream: options.stream,
      format:
        '{bar} {value}/{total} rows | {rate}/s | ETA {eta_formatted} | errors {errors} | retries {retries} | 429 {limited} | tokens {tokens} | {pace}',
      hideCursor: true,
      // Redraw every frame even when nothing changed: a line logged above erases the bar (see log).
      forceRedraw: true,
      barsize: 24,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let startedAt = 0;
  let started = false;
  const rates = new RateStatus(now);
  // Refreshes the payload between events, so a cooldown's countdown ticks while nothing is sent.
  let ticker: NodeJS.Timeout | undefined;
  const payload = () => {
    const snapshot = rates.snapshot();
    return {
      rate: (tally.done / Math.max(0.001, (now() - startedAt) / 1000)).toFixed(1),
      errors: tally.errors,
      retries: tally.retries,
      limited: tally.rateLimited,
      tokens: formatTokens(tally.tokens),
      pace: formatWaiting(snapshot, 500) ?? formatRates(snapshot, true),
    };
  };
  const reporter: ProgressReporter = {
    onEvent(event) {
      tallyEvent(tally, event);
      const rateNews = rates.onEvent(event);
      if (event.type === 'start') {
        startedAt = now();
        started = true;
        bar.start(event.rows, 0, payload());
        ticker = setInterval(() => bar.update(payload()), 250);
        ticker.unref();
      } else if (event.type === 'row') {
        bar.update(tally.done, payload());
      } else if (event.type === 'retry' || event.type === 'rate-limited' || event.type === 'waiting' || event.type === 'limits') {
        bar.update(payload());
      }
      const message = describe(event) ?? rateNews;
      if (message) reporter.log(message);
    },
    log(line) {
      if (!started) return void options.stream.write(`${line}\n`);
      // cli-progress has no log-above for a single bar: clear the line, write, let the bar redraw.
      // The bar turns line wrap off (ESC[?7l); back on for the line, so a long one wraps, not cut.
      options.stream.write(`\r\x1b[2K\x1b[?7h${line}\n\x1b[?7l`);
      bar.render();
    },
    stop() {
      if (ticker) clearInterval(ticker);
      if (!started) return;
      started = false;
      // cli-progress's stop() puts the cursor back where start() saved it (ESC 7 / ESC 8), then ends
      // the line. Lines logged since have moved the bar down, so the cursor would land above it and
      // the summary be printed over the bar: save the bar's own place first.
      options.stream.write('\x1b7');
      bar.stop();
    },
  };
  return reporter;
}

async function createLines(options: ProgressOptions): Promise<ProgressReporter> {
  const tally: Tally = { rows: 0, done: 0, errors: 0, retries: 0, rateLimited: 0, tokens: 0 };
  const now = options.now ?? (() => performance.now());
  const intervalMs = options.intervalMs ?? 5_000;
  let startedAt = 0;
  let timer: NodeJS.Timeout | undefined;
  const rates = new RateStatus(now);
  const line = () => {
    const seconds = (now() - startedAt) / 1000;
    const rate = tally.done / Math.max(0.001, seconds);
    const snapshot = rates.snapshot();
    const waiting = formatWaiting(snapshot, 500);
    return (
      `[${seconds.toFixed(0)}s] ${tally.done}/${tally.rows} rows (${rate.toFixed(1)}/s), ` +
      `errors ${tally.errors}, retries ${tally.retries}, 429 ${tally.rateLimited}, tokens ${formatTokens(tally.tokens)}, ` +
      formatRates(snapshot) +
      (waiting ? `, ${waiting}` : '')
    );
  };
  const reporter: ProgressReporter = {
    onEvent(event) {
      tallyEvent(tally, event);
      const rateNews = rates.onEvent(event);
      if (event.type === 'start') {
        startedAt = now();
        timer = setInterval(() => options.stream.write(`${line()}\n`), intervalMs);
        timer.unref();
      }
      const message = describe(event) ?? rateNews;
      if (message) reporter.log(message);
    },
    log(text) {
      options.stream.write(`${text}\n`);
    },
    stop() {
      if (timer) clearInterval(timer);
      if (startedAt > 0) options.stream.write(`${line()}\n`);
    },
  };
  return reporter;
}
