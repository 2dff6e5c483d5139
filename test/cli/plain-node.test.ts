import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const emulator = useEmulator({ seed: 3 });

// A preload (as APM agents and tsx are) that notes each time it runs, and any attempt to restart
// the process or to change V8's flags from inside it.
const PRELOAD = (trace: string) => `
import { appendFileSync } from 'node:fs';
import v8 from 'node:v8';
const note = (what) => appendFileSync(${JSON.stringify(trace)}, JSON.stringify({ pid: process.pid, what }) + '\\n');
note('preload');
const execve = process.execve;
process.execve = (...args) => { note('execve'); return execve?.(...args); };
const setFlags = v8.setFlagsFromString;
v8.setFlagsFromString = (flag) => { note('v8 flag ' + flag); return setFlags(flag); };
`;

describe('bin/verdict.js', () => {
  it('runs like any node program: a preload runs once, nothing restarts the process or sets V8 flags', async () => {
    const dir = await tempDir();
    const trace = path.join(dir, 'trace.jsonl');
    const preload = path.join(dir, 'preload.mjs');
    await writeFile(preload, PRELOAD(trace));
    const dataset = await qaDataset(5, dir);
    const { code } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, NODE_OPTIONS: `--import=${preload}`, MALLOC_ARENA_MAX: undefined },
    });
    expect(code).toBe(0);
    expect(await readRecords(path.join(dir, 'out.jsonl'))).toHaveLength(5);
    const notes = (await readFile(trace, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { what: string });
    expect(notes.map((note) => note.what)).toEqual(['preload']);
  });
});
