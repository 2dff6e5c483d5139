import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/index.js';
import { collect, collectUntilError, useTempDir } from './helpers.js';

const files = useTempDir();

describe('JSONL datasets', () => {
  it('reads one object per line with row numbers and file lines', async () => {
    const file = await files.write('basic.jsonl', '{"q":"a","n":1}\n{"q":"b","nested":{"x":[1,2]}}\n');
    const rows = await collect(await openDataset(file));
    expect(rows).toEqual([
      { fields: { q: 'a', n: 1 }, rowNumber: 1, line: 1 },
      { fields: { q: 'b', nested: { x: [1, 2] } }, rowNumber: 2, line: 2 },
    ]);
  });

  it('skips blank and whitespace-only lines but still counts them for line numbers', async () => {
    const file = await files.write('blank.jsonl', '\n{"a":1}\n   \n\t\n{"a":2}\n\n');
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => [row.rowNumber, row.line, row.fields.a])).toEqual([
      [1, 2, 1],
      [2, 5, 2],
    ]);
  });

  it('keeps U+2028 and U+2029 inside a string: JSON allows them raw, and only \\n ends a line', async () => {
    const file = await files.write('separators.jsonl', '{"a":"one\u2028two"}\r\n{"a":"three\u2029four"}\n');
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => [row.line, row.fields.a])).toEqual([
      [1, 'one\u2028two'],
      [2, 'three\u2029four'],
    ]);
  });

  it('strips a UTF-8 BOM from the first line', async () => {
    const file = await files.write('bom.jsonl', '\uFEFF{"a":1}\n{"a":2}\n');
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => row.fields)).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('reads CRLF line endings and a last line without a newline', async () => {
    const file = await files.write('crlf.jsonl', '{"a":"x"}\r\n\r\n{"a":"y"}');
    const rows = await collect(await openDataset(file));
    expect(rows).toEqual([
      { fields: { a: 'x' }, rowNumber: 1, line: 1 },
      { fields: { a: 'y' }, rowNumber: 2, line: 3 },
    ]);
  });

  it('accepts the .ndjson extension and upper-case extensions', async () => {
    const ndjson = await files.write('data.ndjson', '{"a":1}\n');
    const upper = await files.write('DATA.JSONL', '{"a":2}\n');
    expect((await collect(await openDataset(ndjson)))[0]?.fields).toEqual({ a: 1 });
    expect((await collect(await openDataset(upper)))[0]?.fields).toEqual({ a: 2 });
  });

  it('reports a line that is not JSON with the file, line and row, keeping the parser message', async () => {
    const file = await files.write('bad.jsonl', '{"a":1}\n\n{"a":}\n{"a":3}\n');
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toHaveLength(1);
    expect(error.location).toEqual({ file, line: 3, row: 2 });
    expect(error.message).toMatch(new RegExp(`^${escape(file)}:3 \\(row 2\\): not valid JSON \\(Unexpected token '\\}'`));
  });

  it('turns V8 position suffixes into a column instead of a misleading "line 1"', async () => {
    const file = await files.write('column.jsonl', '{"a":1}\n{"a" 1}\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file, line: 2, row: 2 });
    expect(error.message).toBe(`${file}:2 (row 2): not valid JSON (Expected ':' after property name, column 6)`);
  });

  it.each([
    ['an array', '[1,2]'],
    ['a string', '"text"'],
    ['a number', '42'],
    ['null', 'null'],
    ['a boolean', 'true'],
  ])('rejects a line holding %s instead of an object', async (kind, line) => {
    const file = await files.write(`kind-${kind.replace(' ', '-')}.jsonl`, `{"a":1}\n{"a":2}\n\n\n${line}\n`);
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toHaveLength(2);
    expect(error.location).toEqual({ file, line: 5, row: 3 });
    expect(error.message).toBe(`${file}:5 (row 3): expected a JSON object, got ${kind}`);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
