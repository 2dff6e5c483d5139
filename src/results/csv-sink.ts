import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { openAppender } from './file-appender.js';
import type { WriteBytes } from './write-error.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

/** The record columns of results files written before reasoning judges (still read and continued). */
export const CSV_COLUMNS_BEFORE_REASONING = [
  'id',
  'score',
  'pass',
  'verdict',
  'label',
  'criteria',
  'reasoning',
  'samples',
  'agreement',
  'flipped',
  'scoring',
  'error_code',
  'error_message',
  'judge_model',
  'judge_prompt',
  'judge_prompt_sha',
  'attempts',
  'latency_ms',
  'prompt_tokens',
  'completion_tokens',
  'cached_tokens',
] as const;

/** The record columns of results files written before the response cache (still read and continued). */
export const CSV_COLUMNS_BEFORE_CACHE = [...CSV_COLUMNS_BEFORE_REASONING, 'reasoning_tokens', 'judge_reasoning_effort'] as const;

/**
 * The CSV columns every results file has, before the row's own `row_<name>` columns; new columns go
 * last. `cached` is "true" on a row answered wholly from the response cache, else empty.
 */
export const CSV_RECORD_COLUMNS = [...CSV_COLUMNS_BEFORE_CACHE, 'cached'] as const;
type CsvRecordColumn = (typeof CSV_RECORD_COLUMNS)[number];

/** The record columns a results header starts with (today's, or an older file's); undefined when it is not verdict's. */
export function csvRecordColumnsOf(header: readonly string[]): readonly CsvRecordColumn[] | undefined {
  for (const columns of [CSV_RECORD_COLUMNS, CSV_COLUMNS_BEFORE_CACHE, CSV_COLUMNS_BEFORE_REASONING]) {
    if (columns.every((name, index) => header[index] === name)) return columns;
  }
  return undefined;
}

/** Options of {@link openCsvSink}. */
export interface CsvSinkOptions {
  /** Dataset fields to keep, each as a `row_<name>` column; other row fields are not written. */
  rowColumns: string[];
  /** Continue an existing file: its header's row columns win, so appended lines line up with it. */
  append?: boolean;
  /** How bytes reach the file (injectable: a test's failing disk). */
  writeBytes?: WriteBytes;
}

type Cell = string | number | null;

// Numbers stay numbers so that csv-stringify leaves a negative one alone while still escaping a
// string such as "-x" that a spreadsheet would run as a formula.
const STRINGIFY_OPTIONS = { escape_formulas: true } as const;

function rowCell(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return JSON.stringify(value) ?? null;
}

/** The header of a results CSV with these row columns. */
export function csvHeader(rowColumns: readonly string[]): string[] {
  return [...CSV_RECORD_COLUMNS, ...rowColumns.map((name) => `row_${name}`)];
}

/** One record flattened into cells, in {@link csvHeader} order (or an older file's `recordColumns`). */
export function recordToCsvCells(record: ResultRecord, rowColumns: readonly string[], recordColumns: readonly CsvRecordColumn[] = CSV_RECORD_COLUMNS): Cell[] {
  const cells = recordCells(record);
  return [...recordColumns.map((name) => cells[name]), ...rowColumns.map((name) => rowCell(record.row[name]))];
}

function recordCells(record: ResultRecord): Record<CsvRecordColumn, Cell> {
  return {
    id: record.id,
    score: record.score,
    pass: record.pass === null ? null : String(record.pass),
    verdict: record.verdict,
    label: record.label,
    criteria: record.criteria === null ? null : JSON.stringify(record.criteria),
    reasoning: record.reasoning,
    samples: record.samples === null ? null : JSON.stringify(record.samples),
    agreement: record.agreement,
    flipped: record.flipped === null ? null : String(record.flipped),
    scoring: record.scoring,
    error_code: record.error?.code ?? null,
    error_message: record.error?.message ?? null,
    judge_model: record.judge.model,
    judge_prompt: record.judge.prompt,
    judge_prompt_sha: record.judge.prompt_sha,
    attempts: record.attempts,
    latency_ms: record.latency_ms,
    prompt_tokens: record.usage.prompt_tokens,
    completion_tokens: record.usage.completion_tokens,
    cached_tokens: record.usage.cached_tokens,
    reasoning_tokens: record.usage.reasoning_tokens ?? 0,
    judge_reasoning_effort: record.judge.reasoning_effort ?? null,
    cached: record.cached === true ? 'true' : null,
  };
}

/** Creates (or truncates, or continues) a CSV results file with a header row; each record's line is written whole. */
export async function openCsvSink(path: string, options: CsvSinkOptions): Promise<ResultSink> {
  const existingHeader = options.append ? await readHeader(path) : undefined;
  // A file written before the newest columns is continued in its own layout.
  const recordColumns = (existingHeader && csvRecordColumnsOf(existingHeader)) ?? CSV_RECORD_COLUMNS;
  const rowColumns = existingHeader
    ? existingHeader.slice(recordColumns.length).map((name) => name.replace(/^row_/, ''))
    : [...new Set(options.rowColumns)];
  const appender = await openAppender(path, { mode: existingHeader ? 'append' : 'truncate', writeBytes: options.writeBytes });
  try {
    // With no records, csv-stringify emits just the header.
    if (!existingHeader) await appender.append(stringify([], { ...STRINGIFY_OPTIONS, header: true, columns: csvHeader(rowColumns) }));
  } catch (error) {
    await appender.close().catch(() => undefined);
    throw error;
  }
  return {
    path,
    write: (record) => appender.append(stringify([recordToCsvCells(record, rowColumns, recordColumns)], STRINGIFY_OPTIONS)),
    close: () => appender.close(),
  };
}

/** The header row of an existing results CSV, or undefined when the file is missing or empty. */
async function readHeader(path: string): Promise<string[] | undefined> {
  let text: string;
  try {
    const handle = await open(path, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
      text = buffer.subarray(0, bytesRead).toString('utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const firstLine = text.split('\n', 1)[0] ?? '';
  if (firstLine.trim() === '') return undefined;
  return (parse(firstLine) as string[][])[0];
}
