import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN } from '../helpers/spawn.js';

describe('a reader that closes the pipe early', () => {
  // Regression: `verdict prompts | head -1` ended in an unhandled EPIPE and a stack trace.
  it('ends quietly, with exit 0 and no stack trace', () => {
    const script = `"${process.execPath}" "${BIN}" prompts 2>stderr.txt | head -c 1 >/dev/null; echo "\${PIPESTATUS[0]}"; cat stderr.txt`;
    const result = spawnSync('bash', ['-c', script], { cwd: mkdtempSync(path.join(tmpdir(), 'verdict-pipe-')), encoding: 'utf8', env: { PATH: process.env.PATH } });
    const [status, ...stderr] = result.stdout.split('\n');
    expect(stderr.join('\n')).not.toMatch(/EPIPE|Error/);
    expect(status).toBe('0');
  });
});
