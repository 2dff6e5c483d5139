import { openAppender } from './file-appender.js';
import type { WriteBytes } from './write-error.js';
import { writtenRecord, type ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** One record as a JSONL line (with its newline), in its written form (keys in schema order). */
export function recordToJsonLine(record: ResultRecord): string {
  // U+2028 / U+2029 are valid raw in JSON, but line readers (node:readline among them) end a line
  // there: escaped, every reader sees one record per line.
  return `${JSON.stringify(writtenRecord(record)).replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'))}\n`;
}

/** Creates (or truncates, or continues) a JSONL results file: one record a line, each line written whole. */
export async function openJsonlSink(path: string, options: { append?: boolean; writeBytes?: WriteBytes } = {}): Promise<ResultSink> {
  const appender = await openAppender(path, { mode: options.append ? 'append' : 'truncate', writeBytes: options.writeBytes });
  return {
    path,
    write: (record) => appender.append(recordToJsonLine(record)),
    close: () => appender.close(),
  };
}
