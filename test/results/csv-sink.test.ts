import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { CSV_RECORD_COLUMNS, csvHeader, openCsvSink } from '../../src/results/csv-sink.js';
import type { ResultRecord } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

async function readCsv(path: string): Promise<Record<string, string>[]> {
  return parse(await readFile(path, 'utf8'), { columns: true }) as Record<string, string>[];
}

// What a record should read back as: every cell is text, absent values are empty.
function expectedCells(record: ResultRecord, rowColumns: string[]): Record<string, string> {
  const text = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'string' ? v : JSON.stringify(v));
  const cells: Record<string, string> = {
    id: record.id,
    score: text(record.score),
    pass: text(record.pass),
    verdict: text(record.verdict),
    label: text(record.label),
    criteria: text(record.criteria),
    reasoning: text(record.reasoning),
    samples: text(record.samples),
    agreement: text(record.agreement),
    flipped: text(record.flipped),
    scoring: text(record.scoring),
    error_code: text(record.error?.code),
    error_message: text(record.error?.message),
    judge_model: record.judge.model,
    judge_prompt: record.judge.prompt,
    judge_prompt_sha: record.judge.prompt_sha,
    attempts: String(record.attempts),
    latency_ms: String(record.latency_ms),
    prompt_tokens: String(record.usage.prompt_tokens),
    completion_tokens: String(record.usage.completion_tokens),
    cached_tokens: String(record.usage.cached_tokens),
    reasoning_tokens: String(record.usage.reasoning_tokens ?? 0),
    judge_reasoning_effort: text(record.judge.reasoning_effort),
    cached: record.cached === true ? 'true' : '',
    wait_ms: text(record.wait_ms),
    votes: text(record.votes),
  };
  for (const name of rowColumns) cells[`row_${name}`] = text(record.row[name]);
  return cells;
}

describe('openCsvSink', () => {
  it('writes records that csv-parse reads back unchanged, quotes, newlines and commas included', async () => {
    const rowColumns = ['question', 'meta', 'n', 'missing'];
    const records = [
      makeRecord({
        id: 'q,1',
        reasoning: 'He said "no",\nthen left.\r\nEnd',
        criteria: { accuracy: 4, clarity: 3.5 },
        row: { question: 'a, "b"\nc', meta: { lang: 'en', tags: ['x', 'y'] }, n: 42 },
      }),
      makeRecord({ id: 'q2', pass: false, score: 1.5, row: { question: '', meta: null, n: -3 } }),
      makeErrorRecord('q3', 'unparseable_answer'),
      makeRecord({ id: 'q4', score: null, pass: null, verdict: 'tie', label: 'good' }),
    ];
    const sink = await openCsvSink(temp.path('out.csv'), { rowColumns });
    for (const record of records) await sink.write(record);
    await sink.close();

    const rows = await readCsv(temp.path('out.csv'));
    expect(rows).toEqual(records.map((record) => expectedCells(record, rowColumns)));
    expect(rows[0]?.criteria).toBe('{"accuracy":4,"clarity":3.5}');
    expect(rows[1]?.pass).toBe('false');
    expect(rows[1]?.row_n).toBe('-3'); // a negative number is data, not a formula
  });

  it('escapes cells that a spreadsheet would run as a formula', async () => {
    const sink = await openCsvSink(temp.path('out.csv'), { rowColumns: ['a', 'b', 'c', 'd', 'e'] });
    await sink.write(
      makeRecord({
        reasoning: '=1+1',
        score: -2,
        row: { a: '+x', b: '-x', c: '@x', d: '\tx', e: 'plain' },
      }),
    );
    await sink.close();

    const [row] = await readCsv(temp.path('out.csv'));
    expect(row).toMatchObject({
      reasoning: "'=1+1",
      score: '-2',
      row_a: "'+x",
      row_b: "'-x",
      row_c: "'@x",
      row_d: "'\tx",
      row_e: 'plain',
    });
  });

  it('writes the header row at once, so a run with no records still leaves a valid file', async () => {
    const sink = await openCsvSink(temp.path('out.csv'), { rowColumns: ['input'] });
    const text = await readFile(temp.path('out.csv'), 'utf8');
    await sink.close();
    expect(text).toBe(`${[...CSV_RECORD_COLUMNS, 'row_input'].join(',')}\n`);
    expect(csvHeader(['input'])).toEqual([...CSV_RECORD_COLUMNS, 'row_input']);
  });

  it('has each record on disk as soon as write() resolves, in call order under concurrent writes', async () => {
    const sink = await openCsvSink(temp.path('out.csv'), { rowColumns: [] });
    await Promise.all(Array.from({ length: 50 }, (_, i) => sink.write(makeRecord({ id: `r${i}`, reasoning: 'a\nb'.repeat(i) }))));
    const rows = await readCsv(temp.path('out.csv'));
    expect(rows.map((row) => row.id)).toEqual(Array.from({ length: 50 }, (_, i) => `r${i}`));
    await sink.close();
  });
});
