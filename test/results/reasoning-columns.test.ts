import { readFile, writeFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CSV_RECORD_COLUMNS, openCsvSink } from '../../src/results/csv-sink.js';
import { readResults } from '../../src/results/read-results.js';
import type { ResultRecord } from '../../src/results/record.js';
import { scanCsvResults } from '../../src/results/scan-results.js';
import { makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

async function recordsOf(path: string): Promise<ResultRecord[]> {
  const records: ResultRecord[] = [];
  for await (const record of readResults(path)) records.push(record);
  return records;
}

// The record columns results files had before reasoning judges: the same, minus the two last ones.
const OLD_COLUMNS = CSV_RECORD_COLUMNS.slice(0, CSV_RECORD_COLUMNS.indexOf('reasoning_tokens'));

describe('reasoning columns of a CSV results file', () => {
  it('ends the record columns with reasoning_tokens and judge_reasoning_effort, leaving the others in their order', () => {
    // Followed only by `cached`, `wait_ms` and `votes`, which came later (test/results/cached-column.test.ts).
    expect(CSV_RECORD_COLUMNS.slice(-5, -3)).toEqual(['reasoning_tokens', 'judge_reasoning_effort']);
    expect(OLD_COLUMNS.slice(-3)).toEqual(['prompt_tokens', 'completion_tokens', 'cached_tokens']);
  });

  it('writes the reasoning tokens and effort, and reads them back', async () => {
    const path = temp.path('r.csv');
    const sink = await openCsvSink(path, { rowColumns: ['input'] });
    const record = makeRecord({ usage: { prompt_tokens: 10, completion_tokens: 300, cached_tokens: 0, reasoning_tokens: 250 } });
    await sink.write({ ...record, judge: { ...record.judge, reasoning_effort: 'high' } });
    await sink.close();
    const [read] = await recordsOf(path);
    expect(read!.usage.reasoning_tokens).toBe(250);
    expect(read!.judge.reasoning_effort).toBe('high');
  });

  it('continues a file written before those columns in its own layout, and resumes it', async () => {
    const path = temp.path('old.csv');
    const header = [...OLD_COLUMNS, 'row_input'];
    const oldRow = header.map((name) => ({ id: 'q1', judge_model: 'gpt-4o-mini', judge_prompt: 'p', judge_prompt_sha: 's', attempts: '1', latency_ms: '5', prompt_tokens: '1', completion_tokens: '1', cached_tokens: '0', row_input: 'old' })[name as 'id'] ?? '');
    await writeFile(path, stringify([header, oldRow]));
    const sink = await openCsvSink(path, { rowColumns: ['input'], append: true });
    await sink.write(makeRecord({ id: 'q2', row: { input: 'new' } }));
    await sink.close();
    const rows = parse(await readFile(path, 'utf8')) as string[][];
    expect(rows.map((row) => row.length)).toEqual([header.length, header.length, header.length]);
    expect(rows[2]![header.indexOf('row_input')]).toBe('new');
    const scanned = await scanCsvResults(path);
    expect(scanned.rowColumns).toEqual(['input']);
    expect((await recordsOf(path)).map((r) => r.id)).toEqual(['q1', 'q2']);
  });
});
