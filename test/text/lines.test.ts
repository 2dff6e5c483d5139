import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitLines } from '../../src/text/lines.js';
import { openJsonlSink } from '../../src/results/jsonl-sink.js';
import { readResults } from '../../src/results/read-results.js';
import { makeRecord, useTempDir } from '../results/helpers.js';

async function lines(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const line of splitLines(Readable.from(chunks, { objectMode: true }))) out.push(line);
  return out;
}

const temp = useTempDir();

describe('splitLines', () => {
  it('ends lines at \\n only: U+2028 and U+2029 stay inside the line', async () => {
    expect(await lines(['{"a":"x\u2028y"}\n{"b":"\u2029"}\n'])).toEqual(['{"a":"x\u2028y"}', '{"b":"\u2029"}']);
  });

  it('drops the \\r of \\r\\n, keeps a last line without a newline, and keeps blank lines', async () => {
    expect(await lines(['one\r\n\r\ntwo\nthree'])).toEqual(['one', '', 'two', 'three']);
  });

  it('joins a line, and a character, split across chunks', async () => {
    const bytes = Buffer.from('héllo wörld\nsecond\r\n', 'utf8');
    // Cut inside "é" (two bytes) and between \r and \n.
    const chunks = [bytes.subarray(0, 2), bytes.subarray(2, 9), bytes.subarray(9, bytes.length - 1), bytes.subarray(bytes.length - 1)];
    expect(await lines(chunks)).toEqual(['héllo wörld', 'second']);
  });
});

describe('results holding U+2028', () => {
  it('are written escaped and read back whole', async () => {
    const sink = await openJsonlSink(temp.path('r.jsonl'));
    await sink.write(makeRecord({ id: 'a', reasoning: 'line\u2028separator', row: { text: 'para\u2029graph' } }));
    await sink.write(makeRecord({ id: 'b' }));
    await sink.close();
    const read = [];
    for await (const record of readResults(temp.path('r.jsonl'))) read.push(record);
    expect(read.map((r) => r.id)).toEqual(['a', 'b']);
    expect(read[0]!.reasoning).toBe('line\u2028separator');
    expect(read[0]!.row.text).toBe('para\u2029graph');
  });

  it('are read whole when another tool wrote them raw, as JSON.stringify does', async () => {
    const raw = [makeRecord({ id: 'a', reasoning: 'x\u2028y' }), makeRecord({ id: 'b' })].map((r) => JSON.stringify(r)).join('\n');
    await writeFile(temp.path('raw.jsonl'), `${raw}\n`);
    const ids = [];
    for await (const record of readResults(temp.path('raw.jsonl'))) ids.push(record.id);
    expect(ids).toEqual(['a', 'b']);
  });
});
