import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin, startBin } from '../helpers/spawn.js';

const emulator = useEmulator({ seed: 9, latencyMs: 25, jitterMs: 15 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

/** Resolves once the file has at least `lines` lines. */
async function waitForLines(file: string, lines: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await readFile(file, 'utf8')).split('\n').length - 1 >= lines) return;
    } catch {
      // not created yet
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${file} never reached ${lines} lines`);
}

/** How many rows the emulator answered more than once, by the question each prompt carries. */
function rowsAnsweredTwice(): number {
  const answers = new Map<string, number>();
  for (const entry of emulator.stats().log) {
    if (entry.outcome !== 'ok') continue;
    const question = /Question number (\d+)\?/.exec(entry.prompt)?.[1];
    if (question) answers.set(question, (answers.get(question) ?? 0) + 1);
  }
  return [...answers.values()].filter((n) => n > 1).length;
}

describe('interrupting a run', () => {
  it('on SIGINT exits 130 with a cancelled summary and the command to continue, and that command finishes the run', async () => {
    const dataset = await qaDataset(150, dir);
    const args = ['run', '-d', dataset, '-p', 'correctness', '-c', '2', '--summary', 'summary.json'];
    const { child, done } = startBin(args, { cwd: dir, env: env() });
    await waitForLines(path.join(dir, 'results.jsonl'), 5);
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary.status).toBe('cancelled');
    expect(summary.graded).toBeGreaterThanOrEqual(5);
    expect(summary.graded).toBeLessThan(150);
    const hint = /to continue where this run stopped:\n {2}verdict (.+)\n/.exec(interrupted.stderr);
    expect(hint?.[1]).toContain('--resume');

    const resumed = await runBin(hint![1]!.split(' '), { cwd: dir, env: env() });
    expect(resumed.code).toBe(0);
    const records = await readRecords(path.join(dir, 'results.jsonl'));
    expect(records).toHaveLength(150);
    expect(new Set(records.map((r) => r.id)).size).toBe(150);
  });

  it('loses nothing across SIGKILLs at random moments: every id once, at most --concurrency rows re-graded per kill', async () => {
    const concurrency = 4;
    const dataset = await qaDataset(160, dir);
    const results = path.join(dir, 'results.jsonl');
    const args = ['run', '-d', dataset, '-p', 'correctness', '-c', String(concurrency), '--resume'];
    let kills = 0;
    for (let attempt = 0; attempt < 3; attempt++) {
      const { child, done } = startBin(args, { cwd: dir, env: env() });
      // Kill once some rows are on disk, after a random extra delay, mid-stream.
      await waitForLines(results, 10 + attempt * 30).catch(() => undefined);
      await new Promise((r) => setTimeout(r, Math.random() * 150));
      const killed = child.kill('SIGKILL');
      const outcome = await done;
      if (killed && outcome.signal === 'SIGKILL') kills++;
    }
    const final = await runBin(args, { cwd: dir, env: env() });
    expect(final.code).toBe(0);
    expect(kills).toBeGreaterThan(0);

    const records = await readRecords(results);
    expect(records.map((r) => r.id).sort()).toEqual(Array.from({ length: 160 }, (_, i) => `q${i + 1}`).sort());
    expect(records.every((r) => r.error === null)).toBe(true);
    if (process.env.VERDICT_TEST_VERBOSE) console.log({ kills, rowsAnsweredTwice: rowsAnsweredTwice() });
    expect(rowsAnsweredTwice()).toBeLessThanOrEqual(concurrency * kills);
    // Nothing but whole lines: the file parses end to end (readRecords would throw otherwise).
    expect((await stat(results)).size).toBeGreaterThan(0);
  });
});
