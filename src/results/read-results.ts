import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { describeCsvError } from '../dataset/csv-errors.js';
import { parseJson } from '../dataset/json-text.js';
import { stripBom } from '../dataset/source.js';
import { UsageError, type InputLocation } from '../errors.js';
import { CSV_COLUMNS_BEFORE_REASONING, recordOfCells } from './csv-columns.js';
import { looksBinary, notARecord, notJson, notResults, notResultsCsvHeader, NOT_TEXT, RESULTS_HINT } from './not-results.js';
import { ResultRecord } from './record.js';
import { splitLines } from '../text/lines.js';

/** A record and where it is in its file, so that a problem with it can be pointed at. */
export interface LocatedRecord {
  record: ResultRecord;
  /** The JSONL line, or the CSV data row (1-based, after the header): a CSV record may span lines. */
  location: InputLocation;
}

/** Reads the records of a results file written by verdict (after `prepareResume` made it whole). */
export async function* readResults(path: string): AsyncGenerator<ResultRecord> {
  for await (const { record } of readLocatedResults(path)) yield record;
}

/**
 * Reads a results file (JSONL or CSV, by extension), each record with its place. The one reader of
 * results files: a file that is missing, binary or not results (a dataset, a summary), or a line that
 * is not a record, stops it with a UsageError naming the file and line and saying what it found.
 */
export async function* readLocatedResults(path: string): AsyncGenerator<LocatedRecord> {
  try {
    if (looksBinary(await readHead(path))) throw notResults({ file: path, line: 1 }, NOT_TEXT);
    if (extname(path).toLowerCase() === '.csv') yield* readCsvResults(path);
    else yield* readJsonlResults(path);
  } catch (error) {
    throw cannotRead(path, error);
  }
}

async function* readJsonlResults(file: string): AsyncGenerator<LocatedRecord> {
  let line = 0;
  for await (const raw of splitLines(createReadStream(file))) {
    line += 1;
    const text = line === 1 ? stripBom(raw) : raw;
    if (text.trim() === '') continue;
    const location = { file, line };
    const parsed = parseJson(text);
    if (!parsed.ok) throw notResults(location, notJson(line, text, parsed));
    yield { record: parseRecord(parsed.value, location), location };
  }
}

function parseRecord(value: unknown, location: InputLocation): ResultRecord {
  const checked = ResultRecord.safeParse(value);
  if (checked.success) return checked.data;
  const { problem, field } = notARecord(value, checked.error);
  throw notResults(field === undefined ? location : { ...location, field }, problem);
}

/** CSV cells are turned back into records: numbers, booleans and the row's `row_*` fields. */
async function* readCsvResults(file: string): AsyncGenerator<LocatedRecord> {
  const parser = parse({ bom: true });
  pipeline(createReadStream(file), parser, () => {}); // a read failure reaches the loop below through the parser
  let header: string[] | undefined;
  let row = 0;
  try {
    for await (const fields of parser as AsyncIterable<string[]>) {
      if (header === undefined) {
        header = checkedHeader(file, fields);
        continue;
      }
      row += 1;
      const location = { file, row };
      yield { record: parseRecord(recordOfCells(Object.fromEntries(header.map((name, index) => [name, fields[index]!])), location), location), location };
    }
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const described = describeCsvError(error, { file, line: typeof error.lines === 'number' ? error.lines : 1, ...(header ? { row: row + 1, header } : {}) }) as Error;
    throw new UsageError(described.message, RESULTS_HINT);
  }
}

function checkedHeader(file: string, header: string[]): string[] {
  // Files written before reasoning judges lack the newest columns and are still results.
  const missing = CSV_COLUMNS_BEFORE_REASONING.filter((name) => !header.includes(name));
  if (missing.length > 0) throw notResults({ file, line: 1 }, notResultsCsvHeader(missing));
  return header;
}

/** The first bytes of a file, to tell text from binary before parsing it. */
async function readHead(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** A file that cannot be read at all, said plainly; other failures pass as they are. */
function cannotRead(file: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new UsageError(`${file} does not exist`);
  if (code === 'EISDIR') return new UsageError(`${file} is a directory, not a results file`);
  if (code === 'EACCES' || code === 'EPERM') return new UsageError(`cannot read ${file}: permission denied`);
  if (typeof code === 'string' && code.startsWith('E')) return new UsageError(`cannot read ${file} (${code})`);
  return error;
}
