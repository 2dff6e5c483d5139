import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/index.js';
import { collect, collectUntilError, useTempDir } from './helpers.js';

const files = useTempDir();

describe('JSON array datasets', () => {
  it('reads an array of objects with row numbers and no line', async () => {
    const file = await files.write('basic.json', '[\n  {"q": "a", "n": 1},\n  {"q": "b", "tags": ["x"]}\n]\n');
    const rows = await collect(await openDataset(file));
    expect(rows).toEqual([
      { fields: { q: 'a', n: 1 }, rowNumber: 1 },
      { fields: { q: 'b', tags: ['x'] }, rowNumber: 2 },
    ]);
    expect(rows.every((row) => !('line' in row))).toBe(true);
  });

  it('strips a UTF-8 BOM before parsing', async () => {
    const file = await files.write('bom.json', '\uFEFF[{"a":1}]');
    expect((await collect(await openDataset(file))).map((row) => row.fields)).toEqual([{ a: 1 }]);
  });

  it('reads an empty array as an empty dataset', async () => {
    const file = await files.write('empty.json', '[]');
    expect(await collect(await openDataset(file))).toEqual([]);
  });

  it('reports a syntax error with the line and column V8 gives', async () => {
    const file = await files.write('syntax.json', '[\n  {"a": 1},\n  {"a": 2,}\n]\n');
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toEqual([]);
    expect(error.location).toEqual({ file, line: 3 });
    expect(error.message).toBe(`${file}:3: not valid JSON (Expected double-quoted property name, column 11)`);
  });

  it('reports a syntax error without a position by naming the file and keeping the parser message', async () => {
    const file = await files.write('token.json', '[{"a": }]');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file });
    expect(error.message).toMatch(`${file}: not valid JSON (Unexpected token '}'`);
  });

  it('reports a truncated file', async () => {
    const file = await files.write('truncated.json', '[{"a": 1},');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.message).toMatch(`${file}: not valid JSON (Unexpected end of JSON input`);
  });

  it.each([
    ['an object', '{"rows": []}'],
    ['a string', '"text"'],
    ['null', 'null'],
  ])('rejects a top level that is %s', async (kind, text) => {
    const file = await files.write(`top-${kind.replace(' ', '-')}.json`, text);
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file });
    expect(error.message).toBe(`${file}: expected a JSON array of objects, got ${kind}`);
  });

  it('rejects an element that is not an object, naming its row, after serving the rows before it', async () => {
    const file = await files.write('element.json', '[{"a":1}, {"a":2}, [3], {"a":4}]');
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toHaveLength(2);
    expect(error.location).toEqual({ file, row: 3 });
    expect(error.message).toBe(`${file} (row 3): expected each element to be a JSON object, got an array`);
  });
});
