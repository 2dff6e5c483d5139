import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Liquid } from 'liquidjs';
import { beforeEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { listBuiltinPrompts } from '../../src/prompt/builtin.js';
import { createPromptEngine, READ_NOTHING } from '../../src/prompt/liquid-engine.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// A prompt may read nothing but its row (issue 12, defect 2): Liquid's file tags are refused when
// the prompt loads, and the engine itself has no file system to read from.

const SECRET = 'not-a-real-key-planted-beside-the-prompt';

/** A prompt whose user section's third line (line 9 of the file) is `tagLine`. */
function promptWith(tagLine: string): string {
  return ['---', 'mode: score', '---', 'system:', 'Grade it.', '', 'user:', 'Q: {{ input }}', tagLine, 'A: {{ output }}', ''].join('\n');
}

const TAGS: [string, string, string][] = [
  ['render', "{% render '.env' %}", 'render'],
  ['render with trimming', "{%- render 'secret.txt' -%}", 'render'],
  ['include', "{% include 'secret.txt' %}", 'include'],
  ['include of a row value', '{% include output %}', 'include'],
  ['layout', "{% layout 'secret.txt' %}", 'layout'],
  ['include inside a condition', "{% if input %}{% include 'secret.txt' %}{% endif %}", 'include'],
  ['render inside a liquid tag', "{% liquid render 'secret.txt' %}", 'render'],
];

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
  await writeFile(path.join(dir, '.env'), `OPENAI_API_KEY=${SECRET}\n`);
  await writeFile(path.join(dir, 'secret.txt'), SECRET);
});

describe('prompt file tags', () => {
  it.each(TAGS)('refuses %s when the prompt loads, naming the file, line and tag', async (_what, line, tag) => {
    const file = path.join(dir, 'judge.md');
    await writeFile(file, promptWith(line));
    const error = await loadPrompt(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toMatchObject({ file, line: 9 });
    expect((error as InputError).message).toContain(`${file}:9: {% ${tag} %} is not allowed`);
    expect((error as InputError).message).not.toContain(SECRET);
  });

  it('keeps tags that read only the row', async () => {
    const file = path.join(dir, 'judge.md');
    await writeFile(file, promptWith("{% assign n = input | size %}{% for c in meta %}{{ c }}{% endfor %}{% raw %}{% include 'x' %}{% endraw %}{{ n }}"));
    const prompt = await loadPrompt(file);
    const [, user] = prompt.template.render({ input: 'abc', output: 'o', meta: [1, 2] }, { file: 'd.jsonl', rowNumber: 1 });
    expect(user!.content).toBe("Q: abc\n12{% include 'x' %}3\nA: o");
  });

  it('gives the engine no file system: a partial next to its root is not found', () => {
    const template = "{% render 'secret.txt' %}";
    // The control: Liquid's defaults would read the file.
    expect(new Liquid({ root: dir }).parseAndRenderSync(template)).toBe(SECRET);
    let thrown: unknown;
    try {
      new Liquid({ root: dir, partials: dir, ...READ_NOTHING }).parseAndRenderSync(template);
    } catch (error) {
      thrown = error;
    }
    expect(String(thrown)).toMatch(/ENOENT/);
    expect(String(thrown)).not.toContain(SECRET);
    expect(() => new Liquid({ root: dir, ...READ_NOTHING }).renderFileSync(path.join(dir, 'secret.txt'))).toThrow(/ENOENT/);
  });

  it('builds the engine prompts compile with on that empty file system', async () => {
    const engine = await createPromptEngine(String);
    for (const file of [path.join(dir, 'secret.txt'), path.join(dir, '.env')]) {
      expect(() => engine.renderFileSync(file)).toThrow(/ENOENT/);
      expect(() => engine.parseFileSync(file)).toThrow(/ENOENT/);
    }
  });

  it('loads every built-in prompt and every prompt under examples/', async () => {
    const examples = path.resolve('examples');
    const files: string[] = [];
    for (const entry of await readdir(examples, { recursive: true })) {
      if (entry.endsWith('.md')) files.push(path.join(examples, entry));
    }
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) await expect(loadPrompt(file), file).resolves.toBeDefined();
    for (const name of await listBuiltinPrompts()) await expect(loadPrompt(name), name).resolves.toBeDefined();
  });
});

describe('prompt file tags (spawned)', () => {
  const emulator = useEmulator({ seed: 5 });
  const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

  async function dataset(output: string): Promise<string> {
    const file = path.join(dir, 'data.jsonl');
    await writeFile(file, `${JSON.stringify({ id: 'r1', input: 'What is in the file?', output })}\n`);
    return file;
  }

  it.each(TAGS)('exits 2 on %s, naming the prompt file, line and tag, with nothing sent', async (_what, line, tag) => {
    await writeFile(path.join(dir, 'judge.md'), promptWith(line));
    const data = await dataset('secret.txt');
    for (const extra of [[], ['--dry-run']]) {
      const { code, stdout, stderr } = await runBin(['run', '-d', data, '-p', 'judge.md', '-o', 'r.jsonl', ...extra], { cwd: dir, env: env() });
      expect(code).toBe(2);
      expect(stderr).toContain(`judge.md:9: {% ${tag} %} is not allowed`);
      expect(stdout + stderr).not.toContain(SECRET);
    }
    expect(emulator.stats().requests).toBe(0);
    expect(await readdir(dir)).not.toContain('r.jsonl');
  });

  it('never shows a file a row value names: not in --dry-run, the request, or the results', async () => {
    await writeFile(path.join(dir, 'judge.md'), promptWith('File: {{ output }}'));
    const data = await dataset('secret.txt');
    const dry = await runBin(['run', '-d', data, '-p', 'judge.md', '--dry-run'], { cwd: dir, env: env() });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('File: secret.txt');
    expect(dry.stdout + dry.stderr).not.toContain(SECRET);

    const run = await runBin(['run', '-d', data, '-p', 'judge.md', '-o', 'r.jsonl', '-o', 'r.html'], { cwd: dir, env: env() });
    expect(run.code).toBe(0);
    expect(emulator.stats().log.map((entry) => entry.prompt).join('\n')).toContain('File: secret.txt');
    expect(emulator.stats().log.map((entry) => entry.prompt).join('\n')).not.toContain(SECRET);
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    for (const written of ['r.jsonl', 'r.html']) expect(await readFile(path.join(dir, written), 'utf8')).not.toContain(SECRET);
  });
});
