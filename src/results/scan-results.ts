import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import { UsageError } from '../errors.js';
import { CSV_RECORD_COLUMNS, csvRecordColumnsOf } from './csv-columns.js';
import { ResultRecord } from './record.js';

/** One record found in a results file, by its byte range. */
export interface ScannedEntry {
  id: string;
  /** True when the record has no error: the row counts as graded. */
  graded: boolean;
  /** A panel's record with a judge's vote in error: graded by the others, and graded again by --retry-errors. */
  shortOfAVote: boolean;
  start: number;
  end: number;
}

/** A stretch of a results file that is not a whole record (a torn last line, a corrupt line). */
export interface DamagedRange {
  start: number;
  end: number;
  /** 1-based line where it starts. */
  line: number;
  reason: string;
}

/** What a results file holds, found without loading it whole. */
export interface ResultsScan {
  path: string;
  format: 'jsonl' | 'csv';
  size: number;
  /** Bytes before the first record (the CSV header line); kept as they are. */
  headerEnd: number;
  /** For CSV: the dataset columns the header names (`row_<name>`). */
  rowColumns?: string[];
  entries: ScannedEntry[];
  damaged: DamagedRange[];
}

/**
 * Scans a JSONL results file line by line. Our writer ends every record with a newline in one write
 * call, so a last line without one was torn by a crash; a line that is not a valid record is damage
 * too. Neither is trusted.
 */
export async function scanJsonlResults(path: string): Promise<ResultsScan> {
  const entries: ScannedEntry[] = [];
  const damaged: DamagedRange[] = [];
  let offset = 0;
  let lineNumber = 0;
  let pending: Buffer[] = [];
  let pendingStart = 0;
  const finishLine = (bytes: Buffer, start: number, terminated: boolean) => {
    lineNumber++;
    const end = start + bytes.length + (terminated ? 1 : 0);
    const text = bytes.toString('utf8').replace(/\r$/, '');
    if (!terminated) {
      damaged.push({ start, end, line: lineNumber, reason: 'torn last line (no newline)' });
      return;
    }
    if (text.trim() === '') return;
    let parsed: ReturnType<typeof ResultRecord.safeParse> | undefined;
    try {
      parsed = ResultRecord.safeParse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (!parsed?.success) {
      damaged.push({ start, end, line: lineNumber, reason: parsed ? 'not a result record' : 'not valid JSON' });
      return;
    }
    entries.push({ id: parsed.data.id, graded: parsed.data.error === null, shortOfAVote: hasFailedVote(parsed.data.votes), start, end });
  };

  for await (const chunk of createReadStream(path)) {
    let buffer = chunk as Buffer;
    // A newline byte never occurs inside a multi-byte UTF-8 character, so splitting bytes is safe.
    let newline = buffer.indexOf(0x0a);
    while (newline >= 0) {
      pending.push(buffer.subarray(0, newline));
      finishLine(Buffer.concat(pending), pendingStart, true);
      offset += newline + 1;
      pendingStart = offset;
      pending = [];
      buffer = buffer.subarray(newline + 1);
      newline = buffer.indexOf(0x0a);
    }
    if (buffer.length > 0) pending.push(buffer);
    offset += buffer.length;
  }
  const rest = Buffer.concat(pending);
  if (rest.length > 0) finishLine(rest, pendingStart, false);
  return { path, format: 'jsonl', size: offset, headerEnd: 0, entries, damaged };
}

const ID_COLUMN = CSV_RECORD_COLUMNS.indexOf('id');
const ERROR_COLUMN = CSV_RECORD_COLUMNS.indexOf('error_code');
const VOTES_COLUMN = CSV_RECORD_COLUMNS.indexOf('votes');

function hasFailedVote(votes: readonly { error: unknown }[] | undefined): boolean {
  return votes?.some((vote) => vote.error !== null) ?? false;
}

/** Whether a CSV record's votes cell (a JSON array; empty for one judge) holds a vote in error. */
function cellHasFailedVote(cell: string | undefined): boolean {
  if (!cell) return false;
  try {
    const votes: unknown = JSON.parse(cell);
    return Array.isArray(votes) && hasFailedVote(votes as { error: unknown }[]);
  } catch {
    return false;
  }
}

/**
 * Scans a CSV results file written by verdict: a header, then one record per row. A record that
 * does not parse, and everything after it, is damage (a crash tears only the end of the file).
 */
export async function scanCsvResults(path: string): Promise<ResultsScan> {
  const entries: ScannedEntry[] = [];
  let header: string[] | undefined;
  let headerEnd = 0;
  let lastEnd = 0;
  let records = 0;
  let votesColumn = -1;
  let failure: Error | undefined;
  const parser = parse({
    relax_column_count: false,
    on_record: (cells: string[], info) => {
      const start = lastEnd;
      lastEnd = info.bytes;
      records++;
      if (header === undefined) {
        header = cells;
        headerEnd = info.bytes;
        // A file of an older layout has no votes column: what stands there is one of the row's.
        votesColumn = csvRecordColumnsOf(header)?.includes('votes') ? VOTES_COLUMN : -1;
        return null;
      }
      const shortOfAVote = votesColumn >= 0 && cellHasFailedVote(cells[votesColumn]);
      entries.push({ id: cells[ID_COLUMN] ?? '', graded: (cells[ERROR_COLUMN] ?? '') === '', shortOfAVote, start, end: info.bytes });
      return null;
    },
  });
  parser.on('error', (error: Error) => {
    failure ??= error;
  });
  parser.resume();
  let size = 0;
  for await (const chunk of createReadStream(path)) {
    size += (chunk as Buffer).length;
    if (failure) continue;
    parser.write(chunk);
  }
  if (!failure) {
    parser.end();
    await new Promise<void>((resolve) => parser.once('end', resolve).once('error', () => resolve()));
  }

  const damaged: DamagedRange[] = [];
  // Our writer ends every record with a newline; a last record without one was cut short.
  if (!failure && entries.length > 0 && lastEnd === size && !(await endsWithNewline(path, size))) {
    const torn = entries.pop()!;
    lastEnd = torn.start;
  }
  if (lastEnd < size) {
    damaged.push({ start: lastEnd, end: size, line: records + 1, reason: failure ? `unreadable CSV (${failure.message})` : 'torn last record' });
  }
  const recordColumns = header === undefined ? undefined : checkHeader(path, header);
  const rowColumns = header?.slice(recordColumns!.length).map((name) => name.replace(/^row_/, ''));
  return { path, format: 'csv', size, headerEnd, rowColumns, entries, damaged };
}

function checkHeader(path: string, header: string[]): readonly string[] {
  const columns = csvRecordColumnsOf(header);
  if (columns) return columns;
  throw new UsageError(`${path} is not a verdict results file (its CSV header is not verdict's), so it cannot be resumed`);
}

async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const { buffer } = await handle.read(Buffer.alloc(1), 0, 1, size - 1);
    return buffer[0] === 0x0a;
  } finally {
    await handle.close();
  }
}
