/**
 * Issue 15: one record contract. The bytes every writer gives for a full record and an error record,
 * pinned as they were before the writers were derived from the schema, and the CSV round trip.
 */
import { writeFile } from 'node:fs/promises';
import { stringify } from 'csv-stringify/sync';
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS_BEFORE_CACHE, CSV_COLUMNS_BEFORE_REASONING, CSV_RECORD_COLUMNS, csvHeader, openCsvSink, recordToCsvCells } from '../../src/results/csv-sink.js';
import { openJsonlSink, recordToJsonLine } from '../../src/results/jsonl-sink.js';
import { readResults } from '../../src/results/read-results.js';
import { RECORD_KEYS, ResultRecord } from '../../src/results/record.js';
import { makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

const FULL: ResultRecord = {
  ...makeRecord({
    id: 'r1',
    criteria: { a: 1, b: 2 },
    samples: [{ repeat: 1, order: 'AB', score: 4, pass: true, verdict: null, label: null, criteria: null, reasoning: 'x' }],
    agreement: 1,
    flipped: false,
    finish_reason: 'odd',
    usage: { prompt_tokens: 1, completion_tokens: 2, cached_tokens: 3, reasoning_tokens: 4 },
  }),
  cached: true,
  judge: { model: 'm', prompt: 'p', prompt_sha: 's', reasoning_effort: 'high' },
};
// An error record from a file older than reasoning_tokens.
const ERROR = makeRecord({ id: 'e1', score: null, pass: null, reasoning: null, scoring: null, error: { code: 'timeout', message: 'slow, "very"' }, usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 } });

// A panel's row: one judge answered, one failed.
const PANEL: ResultRecord = {
  ...makeRecord({ id: 'p1', agreement: null, judge: { model: 'judge-a,judge-b', prompt: 'p', prompt_sha: 's' } }),
  votes: [
    { judge: 'judge-a', score: 4, pass: true, verdict: null, label: null, criteria: null, reasoning: 'fine', error: null, attempts: 1, usage: { prompt_tokens: 1, completion_tokens: 2, cached_tokens: 0, reasoning_tokens: 0 } },
    { judge: 'judge-b', score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null, error: { code: 'server_error', message: '500, "down"' }, attempts: 1, usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0, reasoning_tokens: 0 }, cached: true },
  ],
};

const csv = (record: ResultRecord) => stringify([csvHeader(['input', 'output']), recordToCsvCells(record, ['input', 'output'])], { escape_formulas: true });

async function recordsOf(path: string): Promise<ResultRecord[]> {
  const records: ResultRecord[] = [];
  for await (const record of readResults(path)) records.push(record);
  return records;
}

describe('the record contract', () => {
  it('writes a full record byte for byte as before', () => {
    expect(recordToJsonLine(FULL)).toBe("{\"id\":\"r1\",\"score\":4,\"pass\":true,\"verdict\":null,\"label\":null,\"criteria\":{\"a\":1,\"b\":2},\"reasoning\":\"Correct and complete.\",\"samples\":[{\"repeat\":1,\"order\":\"AB\",\"score\":4,\"pass\":true,\"verdict\":null,\"label\":null,\"criteria\":null,\"reasoning\":\"x\"}],\"agreement\":1,\"flipped\":false,\"scoring\":\"answer\",\"error\":null,\"judge\":{\"model\":\"m\",\"prompt\":\"p\",\"prompt_sha\":\"s\",\"reasoning_effort\":\"high\"},\"attempts\":1,\"latency_ms\":812,\"cached\":true,\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"cached_tokens\":3,\"reasoning_tokens\":4},\"finish_reason\":\"odd\",\"row\":{\"input\":\"What is 2+2?\",\"output\":\"4\"}}\n");
    expect(csv(FULL)).toBe("id,score,pass,verdict,label,criteria,reasoning,samples,agreement,flipped,scoring,error_code,error_message,judge_model,judge_prompt,judge_prompt_sha,attempts,latency_ms,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,judge_reasoning_effort,cached,wait_ms,votes,row_input,row_output\nr1,4,true,,,\"{\"\"a\"\":1,\"\"b\"\":2}\",Correct and complete.,\"[{\"\"repeat\"\":1,\"\"order\"\":\"\"AB\"\",\"\"score\"\":4,\"\"pass\"\":true,\"\"verdict\"\":null,\"\"label\"\":null,\"\"criteria\"\":null,\"\"reasoning\"\":\"\"x\"\"}]\",1,false,answer,,,m,p,s,1,812,1,2,3,4,high,true,,,What is 2+2?,4\n");
  });

  it('writes an error record of an older file byte for byte as before', () => {
    expect(recordToJsonLine(ERROR)).toBe("{\"id\":\"e1\",\"score\":null,\"pass\":null,\"verdict\":null,\"label\":null,\"criteria\":null,\"reasoning\":null,\"samples\":null,\"agreement\":null,\"flipped\":null,\"scoring\":null,\"error\":{\"code\":\"timeout\",\"message\":\"slow, \\\"very\\\"\"},\"judge\":{\"model\":\"gpt-4o-mini\",\"prompt\":\"correctness\",\"prompt_sha\":\"abc123\"},\"attempts\":1,\"latency_ms\":812,\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"cached_tokens\":0,\"reasoning_tokens\":0},\"row\":{\"input\":\"What is 2+2?\",\"output\":\"4\"}}\n");
    expect(csv(ERROR)).toBe("id,score,pass,verdict,label,criteria,reasoning,samples,agreement,flipped,scoring,error_code,error_message,judge_model,judge_prompt,judge_prompt_sha,attempts,latency_ms,prompt_tokens,completion_tokens,cached_tokens,reasoning_tokens,judge_reasoning_effort,cached,wait_ms,votes,row_input,row_output\ne1,,,,,,,,,,,timeout,\"slow, \"\"very\"\"\",gpt-4o-mini,correctness,abc123,1,812,0,0,0,0,,,,,What is 2+2?,4\n");
  });

  it('writes the same bytes whatever key order the producer used, at every depth', () => {
    const reversed = (value: object) => Object.fromEntries(Object.entries(value).reverse());
    const shuffled = { ...reversed(FULL), judge: reversed(FULL.judge), usage: reversed(FULL.usage), samples: FULL.samples!.map(reversed) } as ResultRecord;
    expect(recordToJsonLine(shuffled)).toBe(recordToJsonLine(FULL));
    expect(csv(shuffled)).toBe(csv(FULL));
  });

  it('keeps the CSV layouts: each older one a prefix of the next, every field a column once', () => {
    expect(CSV_COLUMNS_BEFORE_CACHE.slice(0, CSV_COLUMNS_BEFORE_REASONING.length)).toEqual([...CSV_COLUMNS_BEFORE_REASONING]);
    expect(CSV_RECORD_COLUMNS.slice(0, CSV_COLUMNS_BEFORE_CACHE.length)).toEqual([...CSV_COLUMNS_BEFORE_CACHE]);
    expect(new Set(CSV_RECORD_COLUMNS).size).toBe(CSV_RECORD_COLUMNS.length);
    expect(RECORD_KEYS.filter((key) => key !== 'row').every((key) => CSV_RECORD_COLUMNS.some((column) => column === key || column.startsWith(key === 'usage' ? '' : `${key}_`)))).toBe(true);
  });

  it('keeps the layout before votes readable: a CSV written before panels is read and continued', async () => {
    const path = temp.path('old.csv');
    const before = CSV_RECORD_COLUMNS.filter((column) => column !== 'votes');
    const header = [...before, 'row_input', 'row_output'];
    const cells = recordToCsvCells(ERROR, ['input', 'output']).filter((_, i) => i !== CSV_RECORD_COLUMNS.indexOf('votes'));
    await writeFile(path, stringify([header, cells]));
    const [error] = await recordsOf(path);
    expect(error).toMatchObject({ id: 'e1', error: { code: 'timeout' } });
    expect(error!.votes).toBeUndefined();
  });

  it.each([['r.jsonl'], ['r.csv']])('reads back a panel record, every vote with it, from %s', async (name) => {
    const path = temp.path(name);
    const sink = name.endsWith('.csv') ? await openCsvSink(path, { rowColumns: ['input', 'output'] }) : await openJsonlSink(path);
    await sink.write(PANEL);
    await sink.close();
    const [panel] = await recordsOf(path);
    expect(panel!.votes).toEqual(PANEL.votes);
    expect(panel!.judge.model).toBe('judge-a,judge-b');
  });

  it.each([['r.jsonl'], ['r.csv']])('reads back what it wrote to %s', async (name) => {
    const path = temp.path(name);
    const sink = name.endsWith('.csv') ? await openCsvSink(path, { rowColumns: ['input', 'output'] }) : await openJsonlSink(path);
    await sink.write(FULL);
    await sink.write(ERROR);
    await sink.close();
    const [full, error] = await recordsOf(path);
    // A CSV has no finish_reason column, and keeps the row as text.
    const { finish_reason: _finish, ...rest } = FULL;
    expect(full).toEqual(name.endsWith('.csv') ? { ...rest, row: { input: 'What is 2+2?', output: '4' } } : FULL);
    expect(recordToJsonLine(error!)).toBe("{\"id\":\"e1\",\"score\":null,\"pass\":null,\"verdict\":null,\"label\":null,\"criteria\":null,\"reasoning\":null,\"samples\":null,\"agreement\":null,\"flipped\":null,\"scoring\":null,\"error\":{\"code\":\"timeout\",\"message\":\"slow, \\\"very\\\"\"},\"judge\":{\"model\":\"gpt-4o-mini\",\"prompt\":\"correctness\",\"prompt_sha\":\"abc123\"},\"attempts\":1,\"latency_ms\":812,\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"cached_tokens\":0,\"reasoning_tokens\":0},\"row\":{\"input\":\"What is 2+2?\",\"output\":\"4\"}}\n");
  });
});
