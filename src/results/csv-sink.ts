import { open } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CSV_RECORD_COLUMNS, csvRecordColumnsOf, recordCells } from './csv-columns.js';
import { openAppender } from './file-appender.js';
import type { WriteBytes } from './write-error.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

export { CSV_COLUMNS_BEFORE_CACHE, CSV_COLUMNS_BEFORE_REASONING, CSV_RECORD_COLUMNS } from './csv-columns.js';

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
export function recordToCsvCells(record: ResultRecord, rowColumns: readonly string[], recordColumns: readonly string[] = CSV_RECORD_COLUMNS): Cell[] {
  const cells = recordCells(record);
  return [...recordColumns.map((name) => cells.get(name) ?? null), ...rowColumns.map((name) => rowCell(record.row[name]))];
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
