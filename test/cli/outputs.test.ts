import { spawn } from 'node:child_process';
import { chmod, mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { BIN, runBin } from '../helpers/spawn.js';

// Issue 12, defect 1: no output of a command may be one of its inputs or another of its outputs,
// and every output is checked before the first request. Each refusal: exit 2, nothing sent, nothing touched.
const emulator = useEmulator({ seed: 12 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });
const verdict = (args: string[]) => runBin(args, { cwd: dir, env: env() });

/** Every file of the directory and its bytes. */
async function snapshot(): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(path.join(dir, name), 'latin1').catch(() => '<not a file>');
  return files;
}

/** Runs a command that must be refused: exit 2, the message, no request, no file changed, created or removed. */
async function expectRefused(args: string[], message: RegExp): Promise<void> {
  const before = await snapshot();
  emulator.resetStats();
  const { code, stderr } = await verdict(args);
  expect(stderr).toMatch(message);
  expect(code).toBe(2);
  expect(emulator.stats().requests).toBe(0);
  expect(await snapshot()).toEqual(before);
}

describe('outputs that would destroy an input or each other', () => {
  it('refuses the dataset as the results file, with --resume or --force', async () => {
    await qaDataset(20, dir);
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'qa.jsonl', '--resume'], /qa\.jsonl is the dataset, so it cannot also be the results file/);
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'qa.jsonl', '--force'], /qa\.jsonl is the dataset/);
    // Through a symlink, as a JUnit file, and as an HTML report.
    await symlink('qa.jsonl', path.join(dir, 'alias.xml'));
    await symlink('qa.jsonl', path.join(dir, 'alias.html'));
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '-o', 'alias.xml', '--force'], /alias\.xml \(the results file\) and qa\.jsonl \(the dataset\) are the same file/);
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '-o', 'alias.html'], /alias\.html \(the HTML report\) and qa\.jsonl \(the dataset\) are the same file/);
  });

  it('refuses a --summary over the results, over the dataset, or over any existing file without --force', async () => {
    await qaDataset(20, dir);
    expect((await verdict(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '--quiet'])).code).toBe(0);
    await writeFile(path.join(dir, 'notes.json'), '{"mine": true}\n');
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '--force', '--summary', 'r.jsonl'], /r\.jsonl is given twice as an output \(results file, summary\)/);
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'new.jsonl', '--summary', 'qa.jsonl'], /qa\.jsonl is the dataset, so it cannot also be the summary/);
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'new.jsonl', '--summary', 'notes.json'], /notes\.json already exists; pass --force/);
    // Under --resume an earlier summary is replaced, but not a file that is no summary.
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '--resume', '--summary', 'notes.json'], /notes\.json already exists and is not a verdict summary/);
  });

  it('refuses one results file given twice through a symlink', async () => {
    await qaDataset(20, dir);
    expect((await verdict(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '--limit', '5', '--quiet'])).code).toBe(0);
    await symlink('r.jsonl', path.join(dir, 'link.jsonl'));
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'r.jsonl', '-o', 'link.jsonl', '--resume'], /r\.jsonl and link\.jsonl are the same results file|r\.jsonl \(the results file\) and link\.jsonl \(the results file\) are the same file/);
  });

  it('refuses a merge into one of its inputs, even with --force, and a report over its results', async () => {
    await qaDataset(20, dir);
    for (const k of [1, 2]) {
      expect((await verdict(['run', '-d', 'qa.jsonl', '-p', 'correctness', '--shard', `${k}/2`, '-o', `s${k}.jsonl`, '--quiet'])).code).toBe(0);
    }
    await expectRefused(['merge', 's1.jsonl', 's2.jsonl', '-o', 's1.jsonl', '--force'], /s1\.jsonl is a results file to merge, so it cannot also be the merged results file/);
    await expectRefused(['merge', 's1.jsonl', 's2.jsonl', '-o', 'm.jsonl', '--summary', 's2.jsonl', '--force'], /s2\.jsonl is a results file to merge/);
    await symlink('s1.jsonl', path.join(dir, 'r.html'));
    await expectRefused(['report', 's1.jsonl', '-o', 'r.html'], /r\.html \(the HTML report\) and s1\.jsonl \(a results file given to report on\) are the same file/);
  });

  it('finds a --summary path that cannot be written before the first request', async () => {
    await qaDataset(20, dir);
    await writeFile(path.join(dir, 'file.txt'), 'x');
    await expectRefused(['run', '-d', 'qa.jsonl', '-p', 'correctness', '--summary', 'file.txt/s.json'], /cannot write the summary to file\.txt\/s\.json: .*file\.txt is not a directory/);
  });

  it('finds a read-only --summary directory before the first request (as an unprivileged user)', async () => {
    await qaDataset(20, dir);
    await mkdir(path.join(dir, 'ro'));
    await chmod(path.join(dir, 'ro'), 0o555);
    await chmod(dir, 0o777);
    const before = await snapshot();
    // Root writes anywhere: run the bin as "nobody" then, so the directory's mode means something.
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, 'run', '-d', 'qa.jsonl', '-p', 'correctness', '--summary', 'ro/s.json'], {
        cwd: dir,
        env: { PATH: process.env.PATH, ...env() },
        stdio: ['ignore', 'ignore', 'pipe'],
        ...asNobody,
      });
      let err = '';
      child.stderr.on('data', (chunk) => (err += chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stderr: err }));
    });
    expect(stderr).toMatch(/cannot write the summary ro\/s\.json: cannot create files in .*ro \(permission denied\)/);
    expect(code).toBe(2);
    expect(emulator.stats().requests).toBe(0);
    expect(await snapshot()).toEqual(before);
  });
});
