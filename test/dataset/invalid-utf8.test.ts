import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const emulator = useEmulator({ seed: 7 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

/** "café" as Latin-1 saves it: é is the lone byte 0xE9, which is not UTF-8. */
const LATIN1_CAFE = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
const utf8 = (text: string) => Buffer.from(text, 'utf8');
const row = (id: string, output: Buffer | string) =>
  Buffer.concat([utf8(`{"id":"${id}","input":"q","reference":"r","output":"`), typeof output === 'string' ? utf8(output) : output, utf8('"}\n')]);

async function run(name: string, content: Buffer) {
  await writeFile(path.join(dir, name), content);
  return runBin(['run', '-d', name, '-p', 'correctness', '-o', 'out.jsonl'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
}

describe('a dataset that is not valid UTF-8', () => {
  it.each([
    ['JSONL, naming line, row and field', 'data.jsonl', Buffer.concat([row('a', 'fine'), utf8('\n'), row('b', LATIN1_CAFE)]), /data\.jsonl:3 \(row 2, field "output"\): not valid UTF-8/],
    [
      'JSONL holding a genuine U+FFFD too, naming the line and row (the field cannot be told)',
      'data.jsonl',
      Buffer.concat([row('a', 'fine'), utf8('{"id":"b","note":"\uFFFD","output":"'), LATIN1_CAFE, utf8('","input":"q","reference":"r"}\n')]),
      /data\.jsonl:2 \(row 2\): not valid UTF-8/,
    ],
    [
      'CSV, naming line, row and column',
      'data.csv',
      Buffer.concat([utf8('\uFEFFid,input,reference,output\n1,q,r,fine\n2,"multi\nline",r,'), LATIN1_CAFE, utf8('\n')]),
      /data\.csv:3 \(row 2, field "output"\): not valid UTF-8/,
    ],
    ['a CSV header', 'data.csv', Buffer.concat([utf8('id,input,reference,'), LATIN1_CAFE, utf8('\n1,q,r,o\n')]), /data\.csv:1: not valid UTF-8/],
    [
      'a JSON array, naming line, row and field',
      'data.json',
      Buffer.concat([utf8('[\n{"id":"a","input":"q","reference":"r","output":"o"},\n{"id":"b","input":"q","reference":"'), LATIN1_CAFE, utf8('","output":"o"}\n]\n')]),
      /data\.json:3 \(row 2, field "reference"\): not valid UTF-8/,
    ],
  ])('exits 2 before any request: %s', async (_what, name, content, expected) => {
    const { code, stderr } = await run(name, content);
    expect(stderr).toMatch(expected);
    expect(stderr).toContain('hint: convert the file to UTF-8');
    expect(code).toBe(2);
    expect(emulator.stats().requests).toBe(0);
    expect(await readdir(dir)).toEqual([name]);
  });

  it('is refused on stdin too', async () => {
    const dataset = await openDataset('-', { stdin: Readable.from([Buffer.concat([row('a', 'fine'), row('b', LATIN1_CAFE)])]) });
    const read = async () => {
      for await (const _row of dataset.rows());
    };
    await expect(read()).rejects.toThrow(/<stdin>:2 \(row 2, field "output"\): not valid UTF-8/);
  });

  it('accepts a genuine U+FFFD, and a BOM, in valid UTF-8', async () => {
    const { code, stderr } = await run('ok.csv', utf8('\uFEFFid,input,reference,output\n1,q,r,broken \uFFFD glyph\n'));
    expect(stderr).not.toContain('not valid UTF-8');
    expect(code).toBe(0);
    expect(emulator.stats().requests).toBe(1);
  });
});
