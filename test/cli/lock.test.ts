import { spawnSync } from 'node:child_process';
import { access, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin, startBin } from '../helpers/spawn.js';

// Issue 12, defect 4: two runs on one results file (a CI retry racing the original) wrote every id twice.
const emulator = useEmulator({ seed: 4, latencyMs: 40, jitterMs: 10 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });
const exists = (file: string) => access(file).then(() => true, () => false);

async function waitForLines(file: string, lines: number): Promise<void> {
  for (let tries = 0; tries < 1000; tries++) {
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.split('\n').length - 1 >= lines) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${file} never reached ${lines} lines`);
}

describe('one run per results file', () => {
  it('a second --resume run on a file in use exits 2 at once naming the holder; each id is written once', async () => {
    await qaDataset(150, dir);
    const args = ['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'race.jsonl', '--resume', '-c', '2', '--no-progress'];
    const first = startBin(args, { cwd: dir, env: env() });
    await waitForLines(path.join(dir, 'race.jsonl'), 3);

    const second = await runBin(args, { cwd: dir, env: env() });
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(new RegExp(`race\\.jsonl is in use by verdict run \\(pid ${first.child.pid} on ${hostname()}, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\)`));

    const done = await first.done;
    expect(done.code).toBe(0);
    const ids = (await readRecords(path.join(dir, 'race.jsonl'))).map((record) => record.id);
    expect(ids).toHaveLength(150);
    expect(new Set(ids).size).toBe(150);
    // The refused run sent nothing: one request a row, all the first run's.
    expect(emulator.stats().requests).toBe(150);
    expect(await exists(path.join(dir, 'race.jsonl.lock'))).toBe(false);
  });

  it('takes over the lock a dead process of this host left, with a note, and removes it at the end', async () => {
    await qaDataset(5, dir);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    const stale = { pid: dead, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'stale' };
    await writeFile(path.join(dir, 'race.jsonl.lock'), JSON.stringify(stale));
    const run = await runBin(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'race.jsonl', '--resume', '--no-progress'], { cwd: dir, env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`took over the lock on .*race\\.jsonl left by verdict run \\(pid ${dead} on ${hostname()}, since 2026-01-01T00:00:00.000Z\\), which is no longer running`));
    expect(await readRecords(path.join(dir, 'race.jsonl'))).toHaveLength(5);
    expect(await exists(path.join(dir, 'race.jsonl.lock'))).toBe(false);
  });

  it('locks the output of a merge too', async () => {
    await qaDataset(6, dir);
    expect((await runBin(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 's.jsonl', '--quiet'], { cwd: dir, env: env() })).code).toBe(0);
    const holder = { pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'live' };
    await writeFile(path.join(dir, 'm.jsonl.lock'), JSON.stringify(holder));
    const merge = await runBin(['merge', 's.jsonl', '-o', 'm.jsonl'], { cwd: dir, env: env() });
    expect(merge.code).toBe(2);
    expect(merge.stderr).toMatch(new RegExp(`m\\.jsonl is in use by verdict run \\(pid ${process.pid} on`));
    expect(await exists(path.join(dir, 'm.jsonl'))).toBe(false);
  });
});
