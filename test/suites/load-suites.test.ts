import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError, UsageError } from '../../src/errors.js';
import { loadSuites } from '../../src/suites/load-suites.js';
import { tempDir } from '../helpers/io.js';

/** Writes the text as a suites file and loads it. */
async function load(text: string) {
  const file = path.join(await tempDir(), 'verdict.yaml');
  await writeFile(file, text);
  return { file, loading: loadSuites(file) };
}

/** The InputError loading the text throws: its line, its key and its words. */
async function problem(text: string) {
  const { file, loading } = await load(text);
  const error = await loading.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InputError);
  const { location, message, hint } = error as InputError;
  expect(location.file).toBe(file);
  return { line: location.line, field: location.field, message: message.slice(`${file}`.length), hint };
}

const QA = 'suites:\n  qa:\n    dataset: qa.jsonl\n    prompt: correctness\n';

describe('loading verdict.yaml', () => {
  it('gives the suites in the order written, with their values as typed', async () => {
    const { loading } = await load(`${QA}    out: [qa.jsonl.out, qa.html]\n    fields:\n      document: article\n  z-last:\n    dataset: b.csv\n    prompt: p.md\n    fail_under: 3.5\n    gate_on_interval: true\n  a.first:\n    dataset: c.jsonl\n    prompt: pairwise\n    pair: answer_1,answer_2\n`);
    const { suites } = await loading;
    expect(suites.map((entry) => entry.name)).toEqual(['qa', 'z-last', 'a.first']);
    expect(suites[0]!.suite).toEqual({ dataset: 'qa.jsonl', prompt: 'correctness', out: ['qa.jsonl.out', 'qa.html'], fields: { document: 'article' } });
    expect(suites[1]!.suite).toEqual({ dataset: 'b.csv', prompt: 'p.md', fail_under: 3.5, gate_on_interval: true });
  });

  // Each problem names the line and the key, as a dataset's bad row does.
  it.each([
    ['an unknown key of a suite', `${QA}    concurency: 4\n`, 5, 'suites.qa.concurency', /unknown key "concurency" in suite "qa"/],
    ['an unknown key at the top', `${QA}defaults:\n  model: x\n`, 5, 'defaults', /unknown key "defaults"/],
    ['a misspelt suites: (not "suites is required")', 'suite:\n  qa: {}\n', 1, 'suite', /unknown key "suite"/],
    ['a number given as text', `${QA}    concurrency: "8"\n`, 5, 'suites.qa.concurrency', /concurrency takes a number, not "8"/],
    ['text given as a number', `${QA}    model: 4\n`, 5, 'suites.qa.model', /model takes text, not 4/],
    ['a switch given as text', `${QA}    gate_on_interval: "yes"\n`, 5, 'suites.qa.gate_on_interval', /gate_on_interval takes true or false/],
    ['fields given as a list', `${QA}    fields: [a=b]\n`, 5, 'suites.qa.fields', /fields takes a mapping of prompt variable to row field/],
    ['an empty out list', `${QA}    out: []\n`, 5, 'suites.qa.out', /out/],
    ['a suite without its dataset, at the suite', 'suites:\n  qa:\n    prompt: correctness\n  other:\n    prompt: x\n', 2, 'suites.qa.dataset', /dataset is required/],
    ['a suite name that is not a name', 'suites:\n  qa:\n    dataset: a\n    prompt: b\n  "2 x":\n    dataset: a\n    prompt: b\n', 5, 'suites.2 x', /suite name "2 x": a suite name starts with a letter/],
    ['no suites', 'suites: {}\n', 1, 'suites', /suites names no suite/],
    ['a list instead of a mapping', '- qa\n', 1, undefined, /the file holds a mapping with a suites: key/],
  ])('refuses %s', async (_name, text, line, field, message) => {
    const found = await problem(text);
    expect(found.line).toBe(line);
    expect(found.field).toBe(field);
    expect(found.message).toMatch(message);
  });

  it('reports the problem nearest the top of the file first', async () => {
    const found = await problem('suites:\n  a:\n    dataset: x\n    prompt: y\n    limit: "5"\n  b:\n    dataset: x\n    prompt: y\n    modle: m\n');
    expect(found).toMatchObject({ line: 5, field: 'suites.a.limit' });
  });

  it('lists the keys a suite takes beside an unknown one', async () => {
    const found = await problem(`${QA}    fail_under_: 3\n`);
    expect(found.hint).toMatch(/a suite takes dataset, prompt, model, out, .*fail_under.*metric/);
  });

  it('says where YAML that does not parse goes wrong', async () => {
    expect(await problem('suites:\n  qa:\n    dataset: a\n  qa:\n    prompt: b\n')).toMatchObject({ line: 4, message: expect.stringMatching(/not valid YAML: Map keys must be unique/) });
    expect(await problem('suites:\n  qa: [a\n')).toMatchObject({ message: expect.stringMatching(/not valid YAML/) });
  });

  it('refuses an alias bomb instead of expanding it', async () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)];
    expect((await problem(`${bomb.join('\n')}\n`)).message).toMatch(/not valid YAML/);
  });

  it('says a file that is not there is not there', async () => {
    await expect(loadSuites(path.join(await tempDir(), 'none.yaml'))).rejects.toThrow(UsageError);
    await expect(loadSuites(path.join(await tempDir(), 'none.yaml'))).rejects.toThrow(/cannot read the suites file .*none\.yaml: no such file/);
  });
});
