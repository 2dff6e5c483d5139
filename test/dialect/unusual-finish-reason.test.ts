/**
 * Issue 13: "an unknown finish_reason is kept in the record, never a crash". Kept only when
 * unusual, so results files of every other run keep their shape (JSONL keys, CSV columns).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { batchRecord, readOutputLine } from '../../src/batch/read-output.js';
import { unusualFinishReason } from '../../src/dialect/finish-reason.js';
import { answerSpecFor } from '../../src/judge/modes/index.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { CSV_RECORD_COLUMNS, recordToCsvCells } from '../../src/results/csv-sink.js';
import { recordToJsonLine } from '../../src/results/jsonl-sink.js';
import { RECORD_KEYS, ResultRecord } from '../../src/results/record.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { makeRecord } from '../results/helpers.js';

describe('unusualFinishReason', () => {
  it.each([
    ['a_reason_no_server_documents', 'a_reason_no_server_documents'],
    ['error', 'error'],
    ['stop', undefined],
    ['eos', undefined],
    ['MAX_TOKENS', undefined],
    [null, undefined],
    [undefined, undefined],
    [42, undefined],
  ])('%s → %s', (raw, kept) => {
    expect(unusualFinishReason(raw)).toBe(kept);
  });
});

describe('the record keeps an unusual finish_reason', () => {
  it('in JSONL, just before row, and only when there is one', () => {
    const keys = (record: ResultRecord) => Object.keys(JSON.parse(recordToJsonLine(record)) as object);
    expect(keys(makeRecord())).toEqual([...RECORD_KEYS]);
    const unusual = makeRecord({ finish_reason: 'a_reason_no_server_documents' });
    expect(keys(unusual)).toEqual([...RECORD_KEYS.slice(0, -1), 'finish_reason', 'row']);
    // Read back (resume, merge, report) it stays.
    expect(ResultRecord.parse(JSON.parse(recordToJsonLine(unusual))).finish_reason).toBe('a_reason_no_server_documents');
  });

  it('not in CSV: the columns and cells are those of any other record', () => {
    const plain = makeRecord();
    expect(recordToCsvCells(makeRecord({ finish_reason: 'odd' }), ['input', 'output'])).toEqual(recordToCsvCells(plain, ['input', 'output']));
    expect(CSV_RECORD_COLUMNS).not.toContain('finish_reason');
  });

  it('a run against a server with a finish_reason no one documents: graded, and the value in every record', async () => {
    const { result, records, out } = await runAgainstEmulator({ reasoning: { stopFinishReason: 'a_reason_no_server_documents' } }, { rows: 4 });
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(records.map((r) => r.finish_reason)).toEqual(Array(4).fill('a_reason_no_server_documents'));
    expect(await readFile(out, 'utf8')).toMatch(/"finish_reason":"a_reason_no_server_documents","row":/);
  });

  it('a server that says eos (Together, TGI): nothing extra in the file', async () => {
    const { records, out } = await runAgainstEmulator({ reasoning: { stopFinishReason: 'eos' } }, { rows: 4 });
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(await readFile(out, 'utf8')).not.toContain('finish_reason');
  });
});

describe('a batch answer with an unusual finish_reason', () => {
  it('is graded, and its record keeps the value; a usual one adds nothing', async () => {
    const spec = answerSpecFor(await loadPrompt('correctness'));
    const line = (finish: string) =>
      JSON.stringify({
        custom_id: 'q1',
        response: {
          status_code: 200,
          body: {
            choices: [{ index: 0, message: { role: 'assistant', content: JSON.stringify({ reasoning: 'Right.', score: 5 }) }, finish_reason: finish }],
            usage: { prompt_tokens: 10, completion_tokens: 5 },
          },
        },
        error: null,
      });
    const judge = { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: 'abc' };
    const unusual = readOutputLine(line('a_reason_no_server_documents'), spec)!.outcome;
    expect(unusual.grade?.score).toBe(5);
    expect(batchRecord('q1', { input: 'x' }, unusual, judge).finish_reason).toBe('a_reason_no_server_documents');
    const usual = readOutputLine(line('eos'), spec)!.outcome;
    expect(batchRecord('q1', { input: 'x' }, usual, judge)).not.toHaveProperty('finish_reason');
  });
});
