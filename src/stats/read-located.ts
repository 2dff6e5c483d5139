import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError, UsageError, type InputLocation } from '../errors.js';
import { readResults } from '../results/read-results.js';
import { ResultRecord } from '../results/record.js';
import { splitLines } from '../text/lines.js';

/** A record and where it is in its file, so that a label that cannot be read can be pointed at. */
export interface LocatedRecord {
  record: ResultRecord;
  /** The JSONL line, or the CSV data row (1-based, after the header). */
  location: InputLocation;
}

/**
 * Reads a results file (JSONL or CSV, by extension), each record with its place. A line or row that
 * is not a verdict record is an input error naming it.
 */
export async function* readLocatedRecords(file: string): AsyncGenerator<LocatedRecord> {
  try {
    await access(file);
  } catch {
    throw new UsageError(`${file} does not exist`);
  }
  try {
    if (extname(file).toLowerCase() === '.csv') yield* readCsv(file);
    else yield* readJsonl(file);
  } catch (error) {
    // A directory, or a file that cannot be read: bad input, not a failed run.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code.startsWith('E')) throw new UsageError(`cannot read ${file} (${code})`);
    throw error;
  }
}

function problemOf(error: unknown): string {
  if (error instanceof Error && 'issues' in error && Array.isArray(error.issues) && error.issues.length > 0) {
    const issue = error.issues[0] as { path: PropertyKey[]; message: string };
    return `not a verdict results record (${issue.path.map(String).join('.') || 'record'}: ${issue.message})`;
  }
  return `not a verdict results record (${(error as Error)?.message?.split('\n')[0] ?? String(error)})`;
}

async function* readJsonl(file: string): AsyncGenerator<LocatedRecord> {
  const lines = splitLines(createReadStream(file));
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() === '') continue;
    let record: ResultRecord;
    try {
      record = ResultRecord.parse(JSON.parse(text));
    } catch (error) {
      throw new InputError({ file, line }, problemOf(error));
    }
    yield { record, location: { file, line } };
  }
}

// CSV records are rebuilt by the results reader; a record may span lines (quoted newlines), so
// its place is its data row.
async function* readCsv(file: string): AsyncGenerator<LocatedRecord> {
  let row = 0;
  const records = readResults(file);
  while (true) {
    let next: IteratorResult<ResultRecord>;
    try {
      next = await records.next();
    } catch (error) {
      throw new InputError({ file, row: row + 1 }, problemOf(error));
    }
    if (next.done) return;
    row += 1;
    yield { record: next.value, location: { file, row } };
  }
}
