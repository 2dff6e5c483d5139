import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import type { Io } from '../../src/io.js';
import { createProgress } from '../../src/report/progress.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { fakeTerminal, replay } from '../helpers/terminal.js';

// A limit the server reports, so the bar has a line logged above it ("rate limits from the server").
const emulator = useEmulator({ seed: 3, latencyMs: 5, rpm: 60_000 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

/** Runs `verdict run` in-process with a terminal on stderr; `onWrite` sees the bytes as they come. */
async function runOnTerminal(rows: number, options: { interrupt?: AbortController; onWrite?: (bytes: string) => void } = {}) {
  const terminal = fakeTerminal(160);
  const write = terminal.stream.write.bind(terminal.stream);
  terminal.stream.write = ((chunk: string, ...rest: never[]) => {
    const written = write(chunk, ...rest);
    options.onWrite?.(terminal.bytes());
    return written;
  }) as typeof terminal.stream.write;
  const io: Io = {
    stdout: fakeTerminal().stream,
    stderr: terminal.stream,
    stdin: Readable.from([]),
    env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, NO_COLOR: '1' },
    ...(options.interrupt ? { interrupt: options.interrupt.signal } : {}),
  };
  const dataset = await qaDataset(rows, dir);
  const code = await main(['run', '-d', dataset, '-p', 'correctness', '-m', 'gpt-4o-mini', '-c', '2', '-o', `${dir}/results.jsonl`], io);
  return { code, screen: terminal.screen() };
}

/** The summary's first line, and the screen line before it (the bar's last state). */
function aroundSummary(screen: string[]) {
  const at = screen.findIndex((line) => line.startsWith('status'));
  expect(at, screen.join('\n')).toBeGreaterThan(0);
  return { status: screen[at]!, before: screen[at - 1]! };
}

describe('the progress bar on a terminal', () => {
  it('is left on a line of its own when the run completes, the summary starting on the next', async () => {
    const { code, screen } = await runOnTerminal(12);
    expect(code).toBe(0);
    expect(screen).toContain('rate limits from the server: 60,000 requests/min');
    const { status, before } = aroundSummary(screen);
    expect(status).toBe('status    complete · gpt-4o-mini · correctness');
    expect(before).toMatch(/^█+ 12\/12 rows \| .* \| errors 0 \|/);
  });

  it('is left on a line of its own when Ctrl-C stops the run', async () => {
    const interrupt = new AbortController();
    const { code, screen } = await runOnTerminal(400, {
      interrupt,
      onWrite: (bytes) => {
        if (!interrupt.signal.aborted && / [1-9]\d*\/400 rows/.test(bytes)) interrupt.abort(new Error('SIGINT'));
      },
    });
    expect(code).toBe(130);
    expect(screen).toContain('interrupted: stopping, keeping what was graded');
    const { status, before } = aroundSummary(screen);
    expect(status).toMatch(/^status {4}cancelled · gpt-4o-mini · correctness$/);
    expect(before).toMatch(/ \d+\/400 rows \| /);
  });

  it('is left on a line of its own when an error stops the run', async () => {
    emulator.setFaults([{ kind: 'insufficient_quota', match: 'Question number 5?' }]);
    const { code, screen } = await runOnTerminal(40);
    expect(code).not.toBe(0);
    expect(screen.some((line) => line.startsWith("stopping: "))).toBe(true);
    const { status, before } = aroundSummary(screen);
    expect(status).toMatch(/^status {4}failed · gpt-4o-mini · correctness$/);
    expect(status).not.toContain('|');
    expect(before).toMatch(/ \d+\/40 rows \| /);
  });
});

describe('the terminal replay the tests read screens with', () => {
  it('overwrites at the cursor, erases lines, and returns to a saved cursor', () => {
    expect(replay('abcdef\rXY\n')).toEqual(['XYcdef', '']);
    expect(replay('abcdef\r\x1b[2Kgh\n')).toEqual(['gh', '']);
    expect(replay('abcdef\x1b[3G\x1b[0K!')).toEqual(['ab!']);
    expect(replay('\x1b7bar\nlog\n\x1b8\nsummary')).toEqual(['bar', 'summary', '']);
  });
});

describe('the bar reporter', () => {
  it('writes a line logged before the bar starts, or after it stops, as a plain line', async () => {
    const terminal = fakeTerminal(100);
    const progress = await createProgress({ stream: terminal.stream, style: 'bar' });
    progress.log('a note before the run');
    expect(terminal.bytes()).toBe('a note before the run\n');
    progress.onEvent({ type: 'start', rows: 2, alreadyGraded: 0, model: 'm', prompt: 'p', concurrency: 1 });
    progress.log('a line above the bar');
    progress.stop();
    progress.log('after');
    expect(terminal.bytes().endsWith('\nafter\n')).toBe(true);
    const screen = terminal.screen();
    expect(screen[0]).toBe('a note before the run');
    expect(screen[1]).toBe('a line above the bar');
    expect(screen[2]).toMatch(/^░+ 0\/2 rows \| /);
    expect(screen.slice(3)).toEqual(['after', '']);
  });
});
