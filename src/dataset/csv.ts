import { finished } from 'node:stream/promises';
import { parse, type Parser } from 'csv-parse';
import { InputError } from '../errors.js';
import { describeCsvError } from './csv-errors.js';
import { readFailure, type ByteSource } from './source.js';
import type { SourceRow } from './types.js';
import { decodeUtf8, invalidUtf8 } from './utf8.js';

/** A record as the parser produced it, with the line it starts on. */
interface LocatedRecord {
  fields: string[];
  line: number;
  /** The index of the first field whose bytes are not valid UTF-8. */
  invalidUtf8?: number;
}

/**
 * Streams the rows of a CSV file (RFC 4180, header row required, values kept as strings).
 *
 * The parser is fed chunk by chunk rather than iterated as a stream: a stream that errors drops the
 * records it had buffered, and the rows before a malformed one must still be served.
 */
export async function* readCsv(source: ByteSource): AsyncGenerator<SourceRow> {
  const { file } = source;
  const lines = lineTracker();
  const parsed: LocatedRecord[] = [];
  let failure: unknown;
  const parser = parse({
    // Fields come as bytes, and are decoded here, so that invalid UTF-8 is caught field by field.
    // The BOM is dropped below: csv-parse's own `bom` would switch it back to decoding.
    encoding: null,
    skip_empty_lines: true,
    relax_column_count: false,
    on_record: (raw: unknown[], info) => {
      const record = decodeRecord(raw as Uint8Array[]);
      parsed.push({ ...record, line: lines.recordRead(record.fields, info.empty_lines) });
      return null; // Kept in `parsed`, not pushed to the stream.
    },
  });
  parser.on('error', (error) => {
    failure ??= error;
  });
  parser.resume(); // Nothing is pushed, but the readable side must flow for the stream to finish.

  let header: string[] | undefined;
  let rowNumber = 0;
  function* drain(): Generator<SourceRow> {
    for (const record of parsed.splice(0)) {
      if (record.invalidUtf8 !== undefined) {
        const field = header?.[record.invalidUtf8];
        const row = header === undefined ? {} : { row: rowNumber + 1 };
        throw invalidUtf8({ file, line: record.line, ...row, ...(field === undefined ? {} : { field }) });
      }
      if (header === undefined) {
        header = checkHeader(file, record);
        continue;
      }
      rowNumber += 1;
      const fields = Object.fromEntries(header.map((name, index) => [name, record.fields[index] ?? '']));
      yield { fields, rowNumber, line: record.line };
    }
    if (failure !== undefined) {
      const row = header === undefined ? undefined : rowNumber + 1;
      const line = lines.nextRecordStart(emptyLinesAt(failure, lines.emptyLinesSeen()));
      throw describeCsvError(failure, { file, line, row, header });
    }
  }

  const input = source.open();
  try {
    let first = true;
    for await (const chunk of input) {
      failure ??= await write(parser, first ? withoutBom(chunk as Buffer) : (chunk as Buffer));
      first = false;
      yield* drain();
    }
    parser.end();
    failure ??= await finished(parser).then(() => undefined, (error: unknown) => error);
    yield* drain();
    if (header === undefined) throw new InputError({ file }, 'the file is empty: a CSV dataset needs a header row');
  } catch (error) {
    throw readFailure(file, error);
  } finally {
    input.destroy();
    parser.destroy();
  }
}

/** Writes one chunk and waits until the parser has taken it in; resolves to the parser's error, if any. */
function write(parser: Parser, chunk: Buffer): Promise<unknown> {
  return new Promise((resolve) => parser.write(chunk, (error) => resolve(error ?? undefined)));
}

/** A record's fields as text, noting the first that is not valid UTF-8 (decoded leniently, to count its lines). */
function decodeRecord(raw: Uint8Array[]): { fields: string[]; invalidUtf8?: number } {
  let invalid: number | undefined;
  const fields = raw.map((bytes, index) => {
    const text = decodeUtf8(bytes);
    if (text !== undefined) return text;
    invalid ??= index;
    return Buffer.from(bytes).toString('utf8');
  });
  return invalid === undefined ? { fields } : { fields, invalidUtf8: invalid };
}

/** Drops a leading UTF-8 byte order mark, which editors on Windows like to add. */
function withoutBom(chunk: Buffer): Buffer {
  return chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf ? chunk.subarray(3) : chunk;
}

/** Rejects a header with a nameless or repeated column: either would make rows lose a value silently. */
function checkHeader(file: string, record: LocatedRecord): string[] {
  const location = { file, line: record.line };
  const seen = new Map<string, number>();
  for (const [index, name] of record.fields.entries()) {
    if (name.trim() === '') {
      throw new InputError(location, `column ${index + 1} of the header has no name`);
    }
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InputError(
        { ...location, field: name },
        `column "${name}" appears twice in the header (columns ${first + 1} and ${index + 1})`,
      );
    }
    seen.set(name, index);
  }
  return record.fields;
}

/** csv-parse's count of skipped empty lines at the point of an error (it rides on the error object). */
function emptyLinesAt(error: unknown, fallback: number): number {
  const count = (error as { empty_lines?: unknown } | undefined)?.empty_lines;
  return typeof count === 'number' ? count : fallback;
}

/**
 * Works out the line each record starts on. csv-parse's own `lines` counts a quoted \r\n as two
 * lines, so lines are counted here instead: the breaks inside a record's values, plus the empty
 * lines the parser skipped before it.
 */
function lineTracker() {
  let lastLineRead = 0;
  let emptyLinesSeen = 0;
  /** The line the next record starts on, given the parser's running count of skipped empty lines. */
  const nextRecordStart = (emptyLines: number): number => lastLineRead + 1 + (emptyLines - emptyLinesSeen);
  /** Notes a record just read and returns the line it started on. */
  const recordRead = (fields: readonly string[], emptyLines: number): number => {
    const start = nextRecordStart(emptyLines);
    emptyLinesSeen = emptyLines;
    lastLineRead = start + fields.reduce((sum, value) => sum + countLineBreaks(value), 0);
    return start;
  };
  return { nextRecordStart, recordRead, emptyLinesSeen: () => emptyLinesSeen };
}

function countLineBreaks(value: string): number {
  return value.match(/\r\n|\r|\n/g)?.length ?? 0;
}
