import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { listBuiltinPrompts } from '../../src/prompt/builtin.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { tempDir } from '../helpers/io.js';

async function promptFile(text: string, name = 'judge.md'): Promise<string> {
  const file = path.join(await tempDir(), name);
  await writeFile(file, text);
  return file;
}

const VALID = `---
name: grader
mode: score
scale: { min: 1, max: 10 }
pass: 7
---
system:
Grade it.

user:
Q: {{ input }}
Lang: {{ meta.lang }}
A: {{ output }}
`;

async function loadError(text: string): Promise<InputError> {
  const file = await promptFile(text);
  const error = await loadPrompt(file).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(InputError);
  return error as InputError;
}

describe('loadPrompt', () => {
  it('reads front matter, role sections and the variables they use', async () => {
    const prompt = await loadPrompt(await promptFile(VALID));
    expect(prompt.name).toBe('grader');
    expect(prompt.settings).toMatchObject({ mode: 'score', scale: { min: 1, max: 10 }, pass: 7 });
    // Unset, the temperature is the run's to choose: 0, or none at all for a reasoning model (docs/reasoning.md).
    expect(prompt.settings.temperature).toBeUndefined();
    expect(prompt.template.variables).toEqual(['input', 'meta.lang', 'output']);
    expect(prompt.sha).toMatch(/^[0-9a-f]{64}$/);
  });

  it('renders data once: braces inside a value stay text', async () => {
    const prompt = await loadPrompt(await promptFile(VALID));
    const messages = prompt.template.render(
      { input: 'What is {{ secret }}?', meta: { lang: 'en' }, output: '{% raw %}', secret: 'leaked' },
      { file: 'd.jsonl', rowNumber: 1 },
    );
    expect(messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(messages[1]!.content).toBe('Q: What is {{ secret }}?\nLang: en\nA: {% raw %}');
  });

  it('names the file, line, row and field when a row lacks a variable', async () => {
    const prompt = await loadPrompt(await promptFile(VALID));
    const error = (() => {
      try {
        prompt.template.render({ input: 'q', meta: {}, output: 'a' }, { file: 'data.jsonl', rowNumber: 4, line: 5 });
      } catch (e) {
        return e as InputError;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect(error!.message).toBe('data.jsonl:5 (row 4, field "meta.lang"): the row has no field "meta.lang", which the prompt uses');
  });

  it('lets a conditional or default cover an absent field', async () => {
    const prompt = await loadPrompt(
      await promptFile('user:\n{% if reference %}Ref: {{ reference }}{% endif %}{{ note | default: "none" }} {{ output }}\n'),
    );
    expect(prompt.template.render({ output: 'a' }, { file: 'd', rowNumber: 1 })[0]!.content).toBe('none a');
  });

  it('finds a built-in prompt by name', async () => {
    expect(await listBuiltinPrompts()).toEqual(expect.arrayContaining(['correctness', 'helpfulness', 'pass-fail']));
    for (const name of await listBuiltinPrompts()) {
      const prompt = await loadPrompt(name);
      expect(prompt.name).toBe(name);
    }
  });

  it.each([
    ['an unknown key (a typo)', '---\nscael: 3\n---\nuser:\nx\n', /unknown front matter key "scael"/],
    ['a scale upside down', '---\nscale: { min: 5, max: 1 }\n---\nuser:\nx\n', /scale.min must be below scale.max/],
    ['a pass outside the scale', '---\nscale: { min: 1, max: 5 }\npass: 9\n---\nuser:\nx\n', /pass 9 is outside the scale 1..5/],
    ['a mode that does not exist', '---\nmode: vibes\n---\nuser:\nx\n', /front matter/],
    ['classify without choices', '---\nmode: classify\n---\nuser:\nx\n', /needs choices/],
    ['classify with one choice', '---\nmode: classify\nchoices: { Y: 1 }\n---\nuser:\nx\n', /at least two labels/],
    ['choices outside classify', '---\nchoices: { Y: 1, N: 0 }\n---\nuser:\nx\n', /choices only applies to mode "classify"/],
    ['criteria named twice', '---\ncriteria: [fluency, fluency]\n---\nuser:\nx\n', /criteria names must be distinct/],
    ['a criterion that is not a name', '---\ncriteria: ["two words"]\n---\nuser:\nx\n', /use a letter/],
    ['criteria outside score', '---\nmode: pass-fail\ncriteria: [a]\n---\nuser:\nx\n', /criteria only applies to mode "score"/],
    ['logprobs outside score', '---\nmode: pass-fail\nscoring: logprobs\n---\nuser:\nx\n', /scoring: logprobs .* needs mode "score"/],
    ['pair outside pairwise', '---\npair: { a: x, b: y }\n---\nuser:\nx\n', /pair only applies to mode "pairwise"/],
    ['a pair of one field', '---\nmode: pairwise\npair: { a: x, b: x }\n---\nuser:\n{{ output_a }} {{ output_b }}\n', /two different fields/],
    ['pairwise never showing B', '---\nmode: pairwise\n---\nuser:\n{{ output_a }}\n', /never uses \{\{ output_b \}\}/],
    [
      'pairwise reading a pair field by its own name',
      '---\nmode: pairwise\npair: { a: output_1, b: output_2 }\n---\nuser:\n{{ output_a }} {{ output_b }} {{ output_1 }}\n',
      /reads \{\{ output_1 \}\} directly, so swapping the order would not move it/,
    ],
    ['YAML that does not parse', '---\nname: [unclosed\n---\nuser:\nx\n', /not valid YAML/],
    ['front matter never closed', '---\nname: x\nuser:\nx\n', /never closed/],
    ['text before any role line', 'Grade this.\nuser:\nx\n', /expected a role line/],
    ['no user section', 'system:\nbe strict\n', /no "user:" section/],
    ['an empty section', 'system:\n\nuser:\nx\n', /system section is empty/],
    ['an unknown filter', 'user:\n{{ x | shout }}\n', /template error/],
  ])('rejects %s, naming the file', async (_what, text, expected) => {
    const error = await loadError(text);
    expect(error.message).toMatch(expected);
    expect(error.location.file).toMatch(/judge\.md$/);
  });

  it('points a template error at its line in the file', async () => {
    const error = await loadError('---\nname: x\n---\nsystem:\nok\n\nuser:\nline one\n{% if x %}\n');
    expect(error.location.line).toBe(9);
  });

  it('says so when neither a file nor a built-in prompt has that name', async () => {
    await expect(loadPrompt('no-such-prompt')).rejects.toThrow(/no built-in prompt of that name/);
    await expect(loadPrompt('missing/file.md')).rejects.toThrow(/prompt file not found/);
  });

  it('shows a pairwise prompt its pair fields as output_a / output_b, and swapped', async () => {
    const file = await promptFile('---\nmode: pairwise\npair: { a: output_1, b: output_2 }\n---\nuser:\nQ {{ input }}\nA: {{ output_a }}\nB: {{ output_b }}\n');
    const prompt = await loadPrompt(file);
    expect(prompt.settings).toMatchObject({ mode: 'pairwise', pair: { a: 'output_1', b: 'output_2' }, swap: true });
    const row = { input: 'q', output_1: 'first', output_2: 'second' };
    const where = { file: 'd.json', rowNumber: 3 };
    expect(prompt.template.render(row, where)[0]!.content).toBe('Q q\nA: first\nB: second');
    expect(prompt.template.renderSwapped?.(row, where)[0]!.content).toBe('Q q\nA: second\nB: first');
  });

  it('names the row and the missing pair field', async () => {
    const prompt = await loadPrompt(await promptFile('---\nmode: pairwise\npair: { a: output_1, b: output_2 }\n---\nuser:\n{{ output_a }} {{ output_b }}\n'));
    const error = (() => {
      try {
        prompt.template.render({ output_1: 'x' }, { file: 'd.json', rowNumber: 7, line: 7 });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toMatchObject({ file: 'd.json', row: 7, field: 'output_2' });
    expect((error as InputError).message).toMatch(/no field "output_2"/);
  });

  it('reads classify choices, criteria and logprob scoring', async () => {
    const classify = await loadPrompt(await promptFile('---\nmode: classify\nchoices: { "Y": 1, "N": 0 }\npass: 1\n---\nuser:\nx\n'));
    expect(classify.settings).toMatchObject({ mode: 'classify', choices: { Y: 1, N: 0 }, pass: 1 });
    const rubric = await loadPrompt(await promptFile('---\ncriteria: [coherence, fluency]\nscoring: logprobs\n---\nuser:\nx\n'));
    expect(rubric.settings).toMatchObject({ mode: 'score', criteria: ['coherence', 'fluency'], scoring: 'logprobs' });
    expect((await loadPrompt(await promptFile(VALID))).settings.scoring).toBe('answer');
  });
});

// Regression: the pair check read the raw row before --field aliases were bound, so a pair field
// that was itself an alias was "missing".
describe('a pairwise prompt whose pair fields are --field aliases', () => {
  it('reads the aliased answers in both orders', async () => {
    const prompt = await loadPrompt('pairwise', { pair: { a: 'output_1', b: 'output_2' }, fields: { output_1: 'answers.0', output_2: 'answers.1' } });
    const row = { input: 'Which is better?', answers: ['FIRST-ANSWER', 'SECOND-ANSWER'] };
    const where = { file: 'd.jsonl', rowNumber: 1 };
    const text = (messages: { content: string }[]) => messages.map((m) => m.content).join('\n');
    const ab = text(prompt.template.render(row, where));
    const ba = text(prompt.template.renderSwapped!(row, where));
    expect(ab.indexOf('FIRST-ANSWER')).toBeLessThan(ab.indexOf('SECOND-ANSWER'));
    expect(ba.indexOf('SECOND-ANSWER')).toBeLessThan(ba.indexOf('FIRST-ANSWER'));
  });
});
