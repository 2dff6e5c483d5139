import { extname } from 'node:path';
import { main } from '../../src/cli.js';
import { openCsvSink } from '../../src/results/csv-sink.js';
import { openJsonlSink } from '../../src/results/jsonl-sink.js';
import type { ResultRecord } from '../../src/results/record.js';
import { captureIo } from '../helpers/io.js';

/** Writes records with the project's own sinks: JSONL or CSV (every row field a column) by extension. */
export async function writeResults(path: string, records: ResultRecord[]): Promise<string> {
  const rowColumns = [...new Set(records.flatMap((record) => Object.keys(record.row)))];
  const sink = extname(path) === '.csv' ? await openCsvSink(path, { rowColumns }) : await openJsonlSink(path);
  try {
    for (const record of records) await sink.write(record);
  } finally {
    await sink.close();
  }
  return path;
}

/** Runs `verdict <args>` in-process: the exit code and what it printed. */
export async function verdict(args: string[]) {
  const { io, stdout, stderr } = captureIo();
  const code = await main(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

/** Runs `verdict <args> --json` and parses what it printed, failing on a non-zero exit. */
export async function verdictJson<T = Record<string, unknown>>(args: string[]): Promise<T> {
  const run = await verdict([...args, '--json']);
  if (run.code !== 0) throw new Error(`verdict ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as T;
}
