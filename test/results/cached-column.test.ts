import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS_BEFORE_CACHE, CSV_RECORD_COLUMNS, openCsvSink } from '../../src/results/csv-sink.js';
import { openJsonlSink, recordToJsonLine } from '../../src/results/jsonl-sink.js';
import { readResults } from '../../src/results/read-results.js';
import { RECORD_KEYS, type ResultRecord } from '../../src/results/record.js';
import { makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

async function recordsOf(path: string): Promise<ResultRecord[]> {
  const records: ResultRecord[] = [];
  for await (const record of readResults(path)) records.push(record);
  return records;
}

describe('the cached field of a record', () => {
  it('is written in JSONL only when true, after latency_ms, leaving the other keys in their order', () => {
    const plain = JSON.parse(recordToJsonLine(makeRecord({ id: 'a' }))) as object;
    expect(Object.keys(plain)).toEqual([...RECORD_KEYS]);
    const cached = JSON.parse(recordToJsonLine({ ...makeRecord({ id: 'b' }), cached: true })) as object;
    const keys = [...RECORD_KEYS] as string[];
    keys.splice(keys.indexOf('latency_ms') + 1, 0, 'cached');
    expect(Object.keys(cached)).toEqual(keys);
  });

  it('reads back from JSONL, and a record without it (an older file) still reads', async () => {
    const path = temp.path('r.jsonl');
    const sink = await openJsonlSink(path);
    await sink.write({ ...makeRecord({ id: 'a' }), cached: true });
    await sink.write(makeRecord({ id: 'b' }));
    await sink.close();
    expect((await recordsOf(path)).map((r) => r.cached)).toEqual([true, undefined]);
  });

  it('is a record column of a CSV after the reasoning ones, "true" or empty, and reads back', async () => {
    // Followed only by wait_ms and votes, which came later.
    expect(CSV_RECORD_COLUMNS.slice(-3)).toEqual(['cached', 'wait_ms', 'votes']);
    const path = temp.path('r.csv');
    const sink = await openCsvSink(path, { rowColumns: ['input'] });
    await sink.write({ ...makeRecord({ id: 'a', row: { input: 'x' } }), cached: true });
    await sink.write(makeRecord({ id: 'b', row: { input: 'y' } }));
    await sink.close();
    const rows = parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => row.cached)).toEqual(['true', '']);
    expect((await recordsOf(path)).map((r) => r.cached)).toEqual([true, undefined]);
  });

  it('continues a CSV written before the column in its own layout', async () => {
    const path = temp.path('old.csv');
    const header = [...CSV_COLUMNS_BEFORE_CACHE, 'row_input'];
    const cells: Record<string, string> = { id: 'q1', judge_model: 'gpt-4o-mini', judge_prompt: 'p', judge_prompt_sha: 's', attempts: '1', latency_ms: '5', prompt_tokens: '1', completion_tokens: '1', cached_tokens: '0', reasoning_tokens: '0', row_input: 'old' };
    await writeFile(path, stringify([header, header.map((name) => cells[name] ?? '')]));
    const sink = await openCsvSink(path, { rowColumns: ['input'], append: true });
    await sink.write({ ...makeRecord({ id: 'q2', row: { input: 'new' } }), cached: true });
    await sink.close();
    const rows = parse(await readFile(path, 'utf8')) as string[][];
    expect(rows.map((row) => row.length)).toEqual([header.length, header.length, header.length]);
    expect(rows[2]![header.indexOf('row_input')]).toBe('new');
    expect((await recordsOf(path)).map((r) => r.id)).toEqual(['q1', 'q2']);
  });
});
