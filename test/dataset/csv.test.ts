import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/index.js';
import { collect, collectUntilError, useTempDir } from './helpers.js';

const files = useTempDir();

describe('CSV datasets', () => {
  it('maps each record to the header names, keeping values as strings', async () => {
    const file = await files.write('basic.csv', 'question,answer,score\nWhat is 2+2?,4,007\n,empty first,\n');
    const rows = await collect(await openDataset(file));
    expect(rows).toEqual([
      { fields: { question: 'What is 2+2?', answer: '4', score: '007' }, rowNumber: 1, line: 2 },
      { fields: { question: '', answer: 'empty first', score: '' }, rowNumber: 2, line: 3 },
    ]);
  });

  it('strips a UTF-8 BOM so the first column name is clean', async () => {
    const file = await files.write('bom.csv', '\uFEFFid,text\n1,hello\n');
    const rows = await collect(await openDataset(file));
    expect(rows[0]?.fields).toEqual({ id: '1', text: 'hello' });
  });

  it('reads quoted fields holding commas, doubled quotes and newlines', async () => {
    const file = await files.write('quoted.csv', 'id,text\n1,"a, b"\n2,"she said ""hi"""\n3,"line one\nline two"\n');
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => row.fields.text)).toEqual(['a, b', 'she said "hi"', 'line one\nline two']);
  });

  it('gives each row the line it starts on, across multi-line quoted fields and skipped empty lines', async () => {
    const text = ['id,text', '1,"first', 'second', 'third"', '', '', '2,after', '3,"x', '"', '4,last'].join('\n');
    const file = await files.write('lines.csv', text);
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => [row.fields.id, row.rowNumber, row.line])).toEqual([
      ['1', 1, 2],
      ['2', 2, 7],
      ['3', 3, 8],
      ['4', 4, 10],
    ]);
  });

  it('counts a quoted CRLF as one line (csv-parse alone counts it as two)', async () => {
    const text = 'id,text\r\n1,"a\r\nb"\r\n\r\n2,c\r\n3,d\r\n';
    const file = await files.write('crlf.csv', text);
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => [row.fields, row.line])).toEqual([
      [{ id: '1', text: 'a\r\nb' }, 2],
      [{ id: '2', text: 'c' }, 5],
      [{ id: '3', text: 'd' }, 6],
    ]);
  });

  it('skips empty lines before the header and counts them', async () => {
    const file = await files.write('leading.csv', '\n\nid\n1\n');
    const rows = await collect(await openDataset(file));
    expect(rows).toEqual([{ fields: { id: '1' }, rowNumber: 1, line: 4 }]);
  });

  it('reads a header-only file as an empty dataset', async () => {
    const file = await files.write('header-only.csv', 'id,text\n');
    expect(await collect(await openDataset(file))).toEqual([]);
  });

  it('rejects an empty file, which has no header', async () => {
    const file = await files.write('empty.csv', '\n\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file });
    expect(error.message).toBe(`${file}: the file is empty: a CSV dataset needs a header row`);
  });

  it('reports a row with too few fields at its line, naming the header columns, after serving the rows before it', async () => {
    const text = 'question,answer,reference\na,b,c\n"multi\nline",b,c\n\nx,y\n';
    const file = await files.write('ragged.csv', text);
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows.map((row) => row.rowNumber)).toEqual([1, 2]);
    expect(error.location).toEqual({ file, line: 6, row: 3 });
    expect(error.message).toBe(`${file}:6 (row 3): row has 2 fields but the header has 3 (question, answer, reference)`);
  });

  it('reports a row with too many fields', async () => {
    const file = await files.write('wide.csv', 'a,b\n1,2\n1,2,3\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file, line: 3, row: 2 });
    expect(error.message).toBe(`${file}:3 (row 2): row has 3 fields but the header has 2 (a, b)`);
  });

  it('reports a quote that is never closed at the line where its row starts', async () => {
    const file = await files.write('unclosed.csv', 'id,text\n1,ok\n2,"never closed\n3,more\n4,rows\n');
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toHaveLength(1);
    expect(error.location).toEqual({ file, line: 3, row: 2 });
    expect(error.message).toMatch(`${file}:3 (row 2): a quoted field is never closed`);
  });

  it('reports text after a closing quote as an invalid closing quote, naming the column', async () => {
    const file = await files.write('closing.csv', 'id,text\n1,ok\n\n2,"quoted" then more\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file, line: 4, row: 2, field: 'text' });
    expect(error.message).toMatch(`${file}:4 (row 2, field "text"): invalid closing quote`);
  });

  it('reports a quote in the middle of an unquoted field', async () => {
    const file = await files.write('opening.csv', 'id,text\n1,say "hi"\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file, line: 2, row: 1, field: 'text' });
    expect(error.message).toMatch(`${file}:2 (row 1, field "text"): a quote appears inside an unquoted field`);
  });

  it('rejects a header column without a name', async () => {
    const file = await files.write('nameless.csv', '\nquestion,answer,\nq,a,x\n');
    const { rows, error } = await collectUntilError(await openDataset(file));
    expect(rows).toEqual([]);
    expect(error.location).toEqual({ file, line: 2 });
    expect(error.message).toBe(`${file}:2: column 3 of the header has no name`);
  });

  it('rejects a header naming a column twice', async () => {
    const file = await files.write('duplicate.csv', 'id,answer,notes,answer\n1,a,n,b\n');
    const { error } = await collectUntilError(await openDataset(file));
    expect(error.location).toEqual({ file, line: 1, field: 'answer' });
    expect(error.message).toBe(`${file}:1 (field "answer"): column "answer" appears twice in the header (columns 2 and 4)`);
  });

  it('keeps line numbers right in a file larger than one read chunk', async () => {
    // Every 7th row holds a two-line quoted field, so records straddle chunk boundaries.
    const lines = ['id,text'];
    const expected: Array<[string, number]> = [];
    let nextLine = 2;
    for (let id = 1; id <= 20_000; id += 1) {
      expected.push([String(id), nextLine]);
      const twoLines = id % 7 === 0;
      lines.push(twoLines ? `${id},"top ${id}\nbottom"` : `${id},plain text number ${id}`);
      nextLine += twoLines ? 2 : 1;
    }
    const file = await files.write('large.csv', lines.join('\n') + '\n');
    const rows = await collect(await openDataset(file));
    expect(rows.map((row) => [row.fields.id, row.line])).toEqual(expected);
    expect(rows.at(-1)?.rowNumber).toBe(20_000);
  });
});
