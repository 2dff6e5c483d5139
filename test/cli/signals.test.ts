import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { BIN, startBin } from '../helpers/spawn.js';

// Issue 12: SIGHUP (a closed terminal or SSH session) killed a run with no summary, and every signal
// was ignored while the dataset was read from a pipe that had not ended.
const emulator = useEmulator({ seed: 7, latencyMs: 25, jitterMs: 10 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ PATH: process.env.PATH, OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });
const exists = (file: string) => access(file).then(() => true, () => false);

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never saw ${what}`);
}

describe('signals', () => {
  it('SIGHUP stops a run as SIGTERM does: exit 130, the summary, the command that continues, the lock released', async () => {
    await qaDataset(150, dir);
    const { child, done } = startBin(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-c', '2', '--no-progress', '--summary', 's.json'], { cwd: dir, env: env() });
    const results = path.join(dir, 'results.jsonl');
    await waitFor(async () => (await readFile(results, 'utf8').catch(() => '')).split('\n').length > 5, 'five records');
    child.kill('SIGHUP');
    const { code, signal, stderr } = await done;
    expect(signal).toBeNull();
    expect(code).toBe(130);
    expect(stderr).toMatch(/status +cancelled/);
    expect(stderr).toMatch(/to continue where this run stopped:\n {2}verdict run -d qa\.jsonl -p correctness -c 2 --no-progress --summary s\.json --resume\n/);
    expect(JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8')).status).toBe('cancelled');
    expect(await exists(`${results}.lock`)).toBe(false);
  });

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal} while -d - waits on a pipe that has not ended exits 130 at once, having sent nothing`, async () => {
      const child = spawn(process.execPath, [BIN, 'run', '-d', '-', '-p', 'correctness', '--no-progress'], { cwd: dir, env: env(), stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      // A row, and then the writer hangs: the pipe stays open.
      child.stdin.write('{"id":"a","input":"Q?","reference":"A","output":"A"}\n');
      // The results file is locked before the dataset is read: then the run is reading the pipe.
      await waitFor(() => exists(path.join(dir, 'results.jsonl.lock')), 'the lock');
      child.kill(signal);
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await closed;
      clearTimeout(killer);
      expect(stderr).toMatch(/verdict: interrupted while reading the dataset; nothing was sent\n/);
      expect(code).toBe(130);
      expect(emulator.stats().requests).toBe(0);
      expect(await exists(path.join(dir, 'results.jsonl'))).toBe(false);
      expect(await exists(path.join(dir, 'results.jsonl.lock'))).toBe(false);
    });
  }
});
