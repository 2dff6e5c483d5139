import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { readResults } from '../../src/results/read-results.js';
import { writeResults } from '../commands/helpers.js';
import { tempDir } from '../helpers/io.js';
import { runBin } from '../helpers/spawn.js';
import { makeRecord } from './helpers.js';

let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

const DATASET_ROW = { id: 'q1', input: 'What is 2+2?', reference: '4', output: '4' };
// Random-looking bytes with a NUL, an escape and bytes that are not UTF-8, as a binary file has.
const BINARY = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x1b, 0x5b, 0x32, 0x4a, 0xff, 0xfe, 0x7b, 0x0a]);

/** Files that are not results, each with what the message must say about it. */
const NOT_RESULTS: [what: string, name: string, content: string | Buffer, expected: RegExp][] = [
  ['a dataset JSONL', 'data.jsonl', `${JSON.stringify(DATASET_ROW)}\n`, /data\.jsonl:1: not a verdict results record: .*looks like a dataset row/],
  ['a summary JSON file', 'summary.json', `${JSON.stringify({ status: 'complete', rows: 2, graded: 2 }, null, 2)}\n`, /summary\.json:1: .*JSON document spread over lines \(a --summary file/],
  ['a one-line summary', 'summary.jsonl', `${JSON.stringify({ status: 'complete', rows: 2, graded: 2 })}\n`, /summary\.jsonl:1: .*this is a run summary/],
  ['a dataset CSV', 'data.csv', 'id,input,reference,output\nq1,What?,4,4\n', /data\.csv:1: .*the CSV header has no score, pass, verdict, label, … columns, so it looks like a dataset/],
  ['a binary file', 'blob.jsonl', BINARY, /blob\.jsonl:1: not a text file/],
  ['a binary file named .csv', 'blob.csv', BINARY, /blob\.csv:1: not a text file/],
];

/** Each command that reads results, given the file at fault (and a good file beside it, where given). */
const COMMANDS: [name: string, args: (file: string, good?: string) => string[]][] = [
  ['report', (file) => ['report', file, '-o', 'out.html']],
  ['merge', (file, good) => ['merge', ...(good ? [good] : []), file, '-o', 'out.jsonl']],
  ['stats', (file) => ['stats', file]],
  ['compare', (file, good) => ['compare', good ?? file, file]],
];

describe('a file that is not verdict results, given to each command that reads results', () => {
  for (const [command, args] of COMMANDS) {
    it.each(NOT_RESULTS)(`${command}: %s exits 2 naming the file, the line and what it is`, async (_what, name, content, expected) => {
      await writeFile(path.join(dir, name), content);
      const good = await writeResults(path.join(dir, 'good.jsonl'), [makeRecord({ id: 'q1' })]);
      const { code, stdout, stderr } = await runBin(args(name, good), { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(expected);
      expect(stderr).toMatch(/hint: give the \.jsonl or \.csv results file that verdict run wrote/);
      // No raw fragment of a parser's error ("…: [") and no raw bytes of the file reach the terminal.
      expect(stderr).not.toMatch(/: \[\s*$/m);
      expect(stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      expect(stdout).toBe('');
      expect((await readdir(dir)).sort()).toEqual(['good.jsonl', name].sort());
    });

    it(`${command}: an empty file exits 2 saying it holds no records`, async () => {
      await writeFile(path.join(dir, 'empty.jsonl'), '');
      const { code, stdout, stderr } = await runBin(args('empty.jsonl'), { cwd: dir });
      expect(code).toBe(2);
      expect(stderr).toMatch(/^verdict: (empty\.jsonl holds no verdict records|no records in empty\.jsonl)/);
      expect(stdout).toBe('');
      expect(await readdir(dir)).toEqual(['empty.jsonl']);
    });
  }
});

describe('readResults', () => {
  it('names the line and field of a record with a bad field, after the records before it', async () => {
    const good = JSON.stringify(makeRecord({ id: 'a' }));
    const bad = JSON.stringify({ ...makeRecord({ id: 'b' }), attempts: 'two' });
    const file = path.join(dir, 'r.jsonl');
    await writeFile(file, `${good}\n\n${bad}\n`);
    const seen: string[] = [];
    const reading = (async () => {
      for await (const record of readResults(file)) seen.push(record.id);
    })();
    await expect(reading).rejects.toThrow(`${file}:3 (field "attempts"): not a verdict results record (`);
    expect(seen).toEqual(['a']);
  });

  it('reads a file that starts with a byte order mark', async () => {
    const file = path.join(dir, 'bom.jsonl');
    await writeFile(file, `\ufeff${JSON.stringify(makeRecord({ id: 'a' }))}\n`);
    const ids: string[] = [];
    for await (const record of readResults(file)) ids.push(record.id);
    expect(ids).toEqual(['a']);
  });

  it('names the CSV row and column of a cell that does not parse', async () => {
    const file = await writeResults(path.join(dir, 'r.csv'), [makeRecord({ id: 'a' }), makeRecord({ id: 'b', criteria: { x: 1 } })]);
    const { readFile } = await import('node:fs/promises');
    await writeFile(file, (await readFile(file, 'utf8')).replace('"{""x"":1}"', '"{x:1}"'));
    const reading = (async () => {
      for await (const _ of readResults(file)) void _;
    })();
    await expect(reading).rejects.toThrow(`${file} (row 2, field "criteria"): not a verdict results record: the criteria column is not valid JSON`);
  });

  it('escapes control characters of the file in its message', async () => {
    const file = path.join(dir, 'r.jsonl');
    await writeFile(file, `${JSON.stringify(makeRecord({ id: 'a' }))}\nx\u001b[2Jy\n`);
    const reading = (async () => {
      for await (const _ of readResults(file)) void _;
    })();
    await expect(reading).rejects.toThrow(/r\.jsonl:2: not a verdict results record: not valid JSON \(.*\\u001b\[2J/);
  });
});
