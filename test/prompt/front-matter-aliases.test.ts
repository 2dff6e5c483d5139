import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// Issue 12: YAML aliases in a prompt's front matter that yaml refuses to expand are bad input
// (exit 2, the file named), not a crash (exit 3, nothing named).

/** Nine levels of nine-fold aliases: 9^9 strings if expanded ("billion laughs"). */
const BOMB = [
  '---',
  'description: &a "lol"',
  ...['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((name, i) => {
    const previous = 'abcdefgh'[i]!;
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`;
  }),
  '---',
  'user:',
  '{{ output }}',
  '',
].join('\n');

const UNRESOLVED = ['---', 'name: judge', 'mode: score', 'model: *nowhere', '---', 'user:', '{{ output }}', ''].join('\n');

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

async function loadError(text: string): Promise<{ file: string; error: InputError }> {
  const file = path.join(dir, 'judge.md');
  await writeFile(file, text);
  const error = await loadPrompt(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return { file, error: error as InputError };
}

describe('front matter aliases', () => {
  it('refuses an alias bomb, naming the file', async () => {
    const { file, error } = await loadError(BOMB);
    expect(error.location.file).toBe(file);
    expect(error.message).toMatch(/^.*judge\.md.*: front matter is not valid YAML: Excessive alias count/);
  });

  it('refuses an alias to no anchor, naming the file and the line', async () => {
    const { file, error } = await loadError(UNRESOLVED);
    expect(error.location).toEqual({ file, line: 4 });
    expect(error.message).toBe(`${file}:4: front matter is not valid YAML: Unresolved alias (the anchor must be set before the alias): nowhere`);
  });

  it('still reads an alias to an anchor set before it', async () => {
    const file = path.join(dir, 'judge.md');
    await writeFile(file, ['---', 'name: &n judge', 'description: *n', '---', 'user:', '{{ output }}', ''].join('\n'));
    expect((await loadPrompt(file)).settings.description).toBe('judge');
  });
});

describe('front matter aliases (spawned)', () => {
  const emulator = useEmulator();

  it.each([
    ['an alias bomb', BOMB, /judge\.md: front matter is not valid YAML: Excessive alias count/],
    ['an unresolved alias', UNRESOLVED, /judge\.md:4: front matter is not valid YAML: Unresolved alias/],
  ])('exits 2 on %s, naming the prompt file, with nothing sent', async (_what, text, expected) => {
    await writeFile(path.join(dir, 'judge.md'), text);
    const data = await qaDataset(2, dir);
    const { code, stderr } = await runBin(['run', '-d', data, '-p', 'judge.md', '-o', 'r.jsonl'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url },
    });
    expect(code).toBe(2);
    expect(stderr).toMatch(expected);
    expect(emulator.stats().requests).toBe(0);
  });
});
