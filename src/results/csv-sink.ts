import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { openAppender } from './file-appender.js';
import type { WriteBytes } from './write-error.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

/** The CSV columns every results file has, before the row's own `row_<name>` columns. */
export const CSV_RECORD_COLUMNS = [
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

/** One record flattened into cells, in {@link csvHeader} order. */
export function recordToCsvCells(record: ResultRecord, rowColumns: readonly string[]): Cell[] {
  return [
    record.id,
    record.score,
    record.pass === null ? null : String(record.pass),
    record.verdict,
    record.label,
    record.criteria === null ? null : JSON.stringify(record.criteria),
    record.reasoning,
    record.samples === null ? null : JSON.stringify(record.samples),
    record.agreement,
    record.flipped === null ? null : String(record.flipped),
    record.scoring,
    record.error?.code ?? null,
    record.error?.message ?? null,
    record.judge.model,
    record.judge.prompt,
    record.judge.prompt_sha,
    record.attempts,
    record.latency_ms,
    record.usage.prompt_tokens,
    record.usage.completion_tokens,
    record.usage.cached_tokens,
    ...rowColumns.map((name) => rowCell(record.row[name])),
  ];
}

/** Creates (or truncates, or continues) a CSV results file with a header row; each record's line is written whole. */
export async function openCsvSink(path: string, options: CsvSinkOptions): Promise<ResultSink> {
  const existingHeader = options.append ? await readHeader(path) : undefined;
  const rowColumns = existingHeader
    ? existingHeader.slice(CSV_RECORD_COLUMNS.length).map((name) => name.replace(/^row_/, ''))
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
    write: (record) => appender.append(stringify([recordToCsvCells(record, rowColumns)], STRINGIFY_OPTIONS)),
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
