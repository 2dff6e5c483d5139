import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeControl, InputError, UsageError } from '../../src/errors.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// Issue 12: control bytes from a dataset or prompt were echoed raw into error messages, so a
// dataset value could drive the terminal (set its title, clear it, hide text).

/** Any C0 control but tab and newline, DEL, or a C1 control. */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

describe('escapeControl', () => {
  it.each([
    ['\x1b[2J\x1b]0;pwned\x07', '\\x1b[2J\\x1b]0;pwned\\x07'],
    ['a\rb\x00c\x7fd', 'a\\x0db\\x00c\\x7fd'],
    ['C1: \x9b31m \x85', 'C1: \\x9b31m \\x85'],
    ['tab\tand\nnewline stay', 'tab\tand\nnewline stay'],
    ['plain "text", é and 日本', 'plain "text", é and 日本'],
  ])('shows %j as %j', (raw, shown) => {
    expect(escapeControl(raw)).toBe(shown);
  });
});

describe('error messages that quote user values', () => {
  it('escape control characters in the location, the problem and the hint', () => {
    const error = new InputError(
      { file: 'data\x1b[8m.jsonl', line: 3, field: 'na\x1bme' },
      'duplicate id "\x1b]0;x\x07"',
      'rename "\x9b"',
    );
    expect(error.message).toBe('data\\x1b[8m.jsonl:3 (field "na\\x1bme"): duplicate id "\\x1b]0;x\\x07"');
    expect(error.hint).toBe('rename "\\x9b"');
    // The location stays as given: code that reads it gets the real value.
    expect(error.location.field).toBe('na\x1bme');
  });

  it('escape them in usage errors too', () => {
    const error = new UsageError('--out "r\x1b[2J.jsonl" already exists', 'remove "\x1b"');
    expect(error.message).toBe('--out "r\\x1b[2J.jsonl" already exists');
    expect(error.hint).toBe('remove "\\x1b"');
  });
});

describe('error messages (spawned)', () => {
  const emulator = useEmulator();

  it('never write a dataset value\'s control bytes to the terminal', async () => {
    const dir = await tempDir();
    const id = '\x1b]0;pwned\x07\x1b[2J\x9b';
    const row = JSON.stringify({ id, input: 'q', reference: 'r', output: 'o' });
    await writeFile(path.join(dir, 'data.jsonl'), `${row}\n${row}\n`);
    const { code, stderr } = await runBin(['run', '-d', 'data.jsonl', '-p', 'correctness'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url },
    });
    expect(code).toBe(2);
    expect(stderr).toContain('duplicate id "\\x1b]0;pwned\\x07\\x1b[2J\\x9b"');
    expect(stderr).not.toMatch(RAW_CONTROL);
    expect(emulator.stats().requests).toBe(0);
  });
});
