import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { BIN, runBin } from '../helpers/spawn.js';

// Issue 12, defect 5, on a real file system: RLIMIT_FSIZE (`ulimit -f`) makes the kernel refuse to
// grow a file past a size (EFBIG), as a full disk refuses with ENOSPC; node ignores SIGXFSZ.
const emulator = useEmulator({ seed: 55 });
const env = () => ({ PATH: process.env.PATH, OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

function runWithFileSizeLimit(blocks: number, args: string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', `ulimit -f ${blocks} && exec "$0" "$@"`, process.execPath, BIN, ...args], { cwd, env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe.skipIf(process.platform !== 'linux')('a write failure mid-run (bin)', () => {
  it('ends with the summary, the file and its error on one line, and the command that continues; that command finishes', async () => {
    const dir = await tempDir();
    await qaDataset(120, dir);
    const args = ['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '-c', '2', '--no-progress'];
    const stopped = await runWithFileSizeLimit(16, args, dir);
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/verdict: the run stopped \(write_failed\): cannot write r\.jsonl: EFBIG: file too large, write\n/);
    expect(stopped.stderr).toMatch(/status +failed/);
    expect(stopped.stderr).toMatch(/verdict: the run stopped because a results file could not be written\n/);
    expect(stopped.stderr).toMatch(/results: r\.jsonl\n/);
    const hint = /to continue where this run stopped:\n {2}verdict (.+)\n/.exec(stopped.stderr);
    expect(hint?.[1]).toBe('run -d qa.jsonl -p correctness -o r.jsonl -c 2 --no-progress --resume');
    const kept = await readRecords(path.join(dir, 'r.jsonl'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.length).toBeLessThan(120);

    const resumed = await runBin(hint![1]!.split(' '), { cwd: dir, env: env() });
    expect(resumed.code).toBe(0);
    const ids = (await readRecords(path.join(dir, 'r.jsonl'))).map((record) => record.id);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toHaveLength(120);
  });
});
