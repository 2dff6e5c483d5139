import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { CSV_RECORD_COLUMNS } from './csv-sink.js';
import { ResultRecord } from './record.js';
import { splitLines } from '../text/lines.js';

/**
 * Reads the records of a results file written by verdict (after `prepareResume` made it whole).
 * CSV cells are turned back into records: numbers, booleans and the row's `row_*` fields.
 */
export async function* readResults(path: string): AsyncGenerator<ResultRecord> {
  if (extname(path).toLowerCase() === '.csv') {
    yield* readCsvResults(path);
    return;
  }
  const lines = splitLines(createReadStream(path));
  for await (const line of lines) {
    if (line.trim() !== '') yield ResultRecord.parse(JSON.parse(line));
  }
}

async function* readCsvResults(path: string): AsyncGenerator<ResultRecord> {
  const parser = createReadStream(path).pipe(parse({ columns: true }));
  for await (const cells of parser as AsyncIterable<Record<string, string>>) {
    const number = (name: string) => (cells[name] === '' || cells[name] === undefined ? null : Number(cells[name]));
    const text = (name: string) => (cells[name] === '' || cells[name] === undefined ? null : cells[name]!);
    const row = Object.fromEntries(
      Object.entries(cells)
        .filter(([name]) => name.startsWith('row_') && !(CSV_RECORD_COLUMNS as readonly string[]).includes(name))
        .map(([name, value]) => [name.slice(4), value]),
    );
    yield ResultRecord.parse({
      id: cells.id,
      score: number('score'),
      pass: cells.pass === '' ? null : cells.pass === 'true',
      verdict: text('verdict'),
      label: text('label'),
      criteria: cells.criteria ? JSON.parse(cells.criteria) : null,
      reasoning: text('reasoning'),
      samples: cells.samples ? JSON.parse(cells.samples) : null,
      agreement: number('agreement'),
      flipped: cells.flipped ? cells.flipped === 'true' : null,
      scoring: text('scoring'),
      error: cells.error_code ? { code: cells.error_code, message: cells.error_message ?? '' } : null,
      judge: {
        model: cells.judge_model,
        prompt: cells.judge_prompt,
        prompt_sha: cells.judge_prompt_sha,
        ...(cells.judge_reasoning_effort ? { reasoning_effort: cells.judge_reasoning_effort } : {}),
      },
      attempts: number('attempts') ?? 0,
      latency_ms: number('latency_ms') ?? 0,
      usage: {
        prompt_tokens: number('prompt_tokens') ?? 0,
        completion_tokens: number('completion_tokens') ?? 0,
        cached_tokens: number('cached_tokens') ?? 0,
        reasoning_tokens: number('reasoning_tokens') ?? 0,
      },
      row,
    });
  }
}
