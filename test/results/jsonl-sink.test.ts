import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openJsonlSink, recordToJsonLine } from '../../src/results/jsonl-sink.js';
import { RECORD_KEYS, ResultRecord } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

function parseLines(text: string): unknown[] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as unknown);
}

describe('openJsonlSink', () => {
  it('writes one parseable line per record, in call order, when writes are issued concurrently', async () => {
    const sink = await openJsonlSink(temp.path('results.jsonl'));
    const records = Array.from({ length: 200 }, (_, i) =>
      makeRecord({ id: `r${i}`, reasoning: `line one\nline two "${'x'.repeat(i * 50)}"` }),
    );
    await Promise.all(records.map((record) => sink.write(record)));
    await sink.close();

    const lines = parseLines(await readFile(temp.path('results.jsonl'), 'utf8'));
    expect(lines).toEqual(records);
    expect(lines.map((line) => ResultRecord.parse(line).id)).toEqual(records.map((r) => r.id));
  });

  it('has a record on disk as soon as write() resolves, before close', async () => {
    const sink = await openJsonlSink(temp.path('results.jsonl'));
    await sink.write(makeRecord({ id: 'first' }));
    expect(parseLines(await readFile(temp.path('results.jsonl'), 'utf8'))).toEqual([makeRecord({ id: 'first' })]);

    await sink.write(makeErrorRecord('second', 'timeout'));
    const lines = parseLines(await readFile(temp.path('results.jsonl'), 'utf8'));
    expect(lines.map((line) => (line as { id: string }).id)).toEqual(['first', 'second']);
    await sink.close();
  });

  it('writes keys in RECORD_KEYS order whatever order the record object has', () => {
    const record = makeRecord();
    const shuffled = Object.fromEntries(Object.entries(record).reverse()) as ResultRecord;
    const line = recordToJsonLine(shuffled);
    expect(line.endsWith('\n')).toBe(true);
    expect(Object.keys(JSON.parse(line) as object)).toEqual([...RECORD_KEYS]);
    expect(line).toBe(recordToJsonLine(record));
  });

  it('truncates a file that already exists', async () => {
    await writeFile(temp.path('results.jsonl'), 'old content that must go\n'.repeat(10));
    const sink = await openJsonlSink(temp.path('results.jsonl'));
    await sink.write(makeRecord({ id: 'new' }));
    await sink.close();
    expect(parseLines(await readFile(temp.path('results.jsonl'), 'utf8'))).toEqual([makeRecord({ id: 'new' })]);
  });

  it('waits for pending writes on close, and rejects writes after it', async () => {
    const sink = await openJsonlSink(temp.path('results.jsonl'));
    const pending = [sink.write(makeRecord({ id: 'a' })), sink.write(makeRecord({ id: 'b' }))];
    await sink.close();
    await Promise.all(pending);
    expect(parseLines(await readFile(temp.path('results.jsonl'), 'utf8'))).toHaveLength(2);
    await expect(sink.write(makeRecord({ id: 'c' }))).rejects.toThrow(/closed/);
  });
});
