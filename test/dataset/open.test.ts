import { mkdir, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/index.js';
import { InputError, UsageError } from '../../src/errors.js';
import { collect, collectUntilError, useTempDir } from './helpers.js';

const files = useTempDir();

describe('openDataset', () => {
  it.each([
    ['data.jsonl', '{"id":"1"}\n{"id":"2"}\n'],
    ['data.csv', 'id\n1\n2\n'],
    ['data.json', '[{"id":"1"},{"id":"2"}]'],
  ])('serves the same rows on every pass over %s', async (name, content) => {
    const dataset = await openDataset(await files.write(name, content));
    const first = await collect(dataset);
    const second = await collect(dataset);
    expect(first.map((row) => row.fields)).toEqual([{ id: '1' }, { id: '2' }]);
    expect(second).toEqual(first);
  });

  it('starts a fresh pass after an earlier pass stopped early', async () => {
    const dataset = await openDataset(await files.write('early.jsonl', '{"n":1}\n{"n":2}\n{"n":3}\n'));
    for await (const row of dataset.rows()) {
      expect(row.rowNumber).toBe(1);
      break;
    }
    expect((await collect(dataset)).map((row) => row.fields.n)).toEqual([1, 2, 3]);
  });

  it('names the file it was given', async () => {
    const file = await files.write('named.csv', 'a\n1\n');
    expect((await openDataset(file)).file).toBe(file);
  });

  it('lets an explicit format override the extension', async () => {
    const file = await files.write('data.txt', 'id,text\n1,hi\n');
    const rows = await collect(await openDataset(file, { format: 'csv' }));
    expect(rows).toEqual([{ fields: { id: '1', text: 'hi' }, rowNumber: 1, line: 2 }]);
  });

  it('rejects an unknown extension with a usage error naming the file and the accepted extensions', async () => {
    const file = await files.write('data.txt', '{"a":1}\n');
    const error = await openDataset(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UsageError);
    const message = (error as UsageError).message;
    expect(message).toContain(file);
    for (const extension of ['.jsonl', '.ndjson', '.csv', '.json']) expect(message).toContain(extension);
  });

  it('rejects a missing file when opening, before any row is read', async () => {
    const file = files.path('missing.jsonl');
    const error = await openDataset(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual({ file });
    expect((error as InputError).message).toBe(`${file}: file not found`);
  });

  it('rejects a directory when opening', async () => {
    const dir = files.path('folder.csv');
    await mkdir(dir);
    const error = await openDataset(dir).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).location).toEqual({ file: dir });
    expect((error as InputError).message).toBe(`${dir}: is a directory, not a dataset file`);
  });

  it('reports a file deleted between opening and reading as not found', async () => {
    const file = await files.write('vanishing.jsonl', '{"a":1}\n');
    const dataset = await openDataset(file);
    await rm(file);
    const { error } = await collectUntilError(dataset);
    expect(error.location).toEqual({ file });
    expect(error.message).toBe(`${file}: file not found`);
  });

  it('iterates a 50,000-line JSONL file to the end', async () => {
    const lines = Array.from({ length: 50_000 }, (_, index) => JSON.stringify({ id: index + 1, text: `row ${index + 1}` }));
    const dataset = await openDataset(await files.write('large.jsonl', lines.join('\n') + '\n'));
    let count = 0;
    let last: unknown;
    for await (const row of dataset.rows()) {
      count += 1;
      last = row;
    }
    expect(count).toBe(50_000);
    expect(last).toEqual({ fields: { id: 50_000, text: 'row 50000' }, rowNumber: 50_000, line: 50_000 });
  });
});

describe('openDataset with `-` (stdin)', () => {
  it('reads JSONL from stdin once and serves it on every pass', async () => {
    // Chunks split mid-line, as a pipe may deliver them.
    const stdin = Readable.from(['{"a":1}\n', '\n{"a"', ':2}\n']);
    const dataset = await openDataset('-', { stdin });
    expect(dataset.file).toBe('<stdin>');
    const first = await collect(dataset);
    const second = await collect(dataset);
    expect(first).toEqual([
      { fields: { a: 1 }, rowNumber: 1, line: 1 },
      { fields: { a: 2 }, rowNumber: 2, line: 3 },
    ]);
    expect(second).toEqual(first);
  });

  it('names <stdin> in errors', async () => {
    const dataset = await openDataset('-', { stdin: Readable.from(['{"a":1}\n', 'oops\n']) });
    const { error } = await collectUntilError(dataset);
    expect(error.location).toEqual({ file: '<stdin>', line: 2, row: 2 });
    expect(error.message).toMatch(/^<stdin>:2 \(row 2\): not valid JSON/);
  });

  it('reads another format from stdin when one is given', async () => {
    const stdin = Readable.from([Buffer.from('\uFEFFid,text\n1,"a\nb"\n2,c\n')]);
    const dataset = await openDataset('-', { stdin, format: 'csv' });
    const rows = await collect(dataset);
    expect(rows.map((row) => [row.fields, row.line])).toEqual([
      [{ id: '1', text: 'a\nb' }, 2],
      [{ id: '2', text: 'c' }, 4],
    ]);
    expect(await collect(dataset)).toEqual(rows);
  });

  it('refuses a terminal as stdin instead of waiting for input forever', async () => {
    const stdin = Object.assign(Readable.from([]), { isTTY: true });
    await expect(openDataset('-', { stdin })).rejects.toBeInstanceOf(UsageError);
  });
});
