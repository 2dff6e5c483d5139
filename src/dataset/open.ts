import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { digestingSource, fileSource, memorySource, readAllBytes, readFailure, type ByteSource } from './source.js';
import type { Dataset, SourceRow } from './types.js';

/** The dataset formats verdict reads. */
export type DatasetFormat = 'jsonl' | 'csv' | 'json';

/** Options for openDataset. */
export interface OpenDatasetOptions {
  /** Where `-` reads from; defaults to process.stdin. */
  stdin?: NodeJS.ReadableStream;
  /** Overrides the format the file extension implies (and the JSONL that `-` implies). */
  format?: DatasetFormat;
}

/** The path that means "read the dataset from stdin". */
export const STDIN_PATH = '-';

const formatByExtension: Readonly<Record<string, DatasetFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.csv': 'csv',
  '.json': 'json',
};

type Reader = (source: ByteSource) => AsyncIterable<SourceRow>;

/** Each format's reader, loaded when a dataset of that format is opened (csv-parse only for CSV). */
const readers: Readonly<Record<DatasetFormat, () => Promise<Reader>>> = {
  jsonl: async () => (await import('./jsonl.js')).readJsonl,
  csv: async () => (await import('./csv.js')).readCsv,
  json: async () => (await import('./json.js')).readJsonArray,
};

/**
 * Opens a dataset file (or `-` for JSONL on stdin), checking up front that it can be read; rows are
 * read, and malformed ones reported, only when `rows()` is iterated.
 */
export async function openDataset(path: string, options: OpenDatasetOptions = {}): Promise<Dataset> {
  if (path === STDIN_PATH) return openStdin(options.stdin ?? process.stdin, options.format ?? 'jsonl');
  const format = options.format ?? formatOf(path);
  await checkReadableFile(path);
  const { source, digest } = digestingSource(fileSource(path));
  const read = await readers[format]();
  return { file: path, rows: () => read(source), digest };
}

/** The format a file's extension names; anything else is a usage error. */
function formatOf(path: string): DatasetFormat {
  const format = formatByExtension[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new UsageError(
      `cannot tell the format of dataset ${path} from its extension: use .jsonl or .ndjson (JSON Lines), .csv or .json (an array of objects)`,
    );
  }
  return format;
}

/** Fails early, before any row is read, when the path is missing, a directory or unreadable. */
async function checkReadableFile(path: string): Promise<void> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
    await access(path, constants.R_OK);
  } catch (error) {
    throw readFailure(path, error);
  }
  if (isDirectory) throw new InputError({ file: path }, 'is a directory, not a dataset file');
}

/** Stdin can be read only once, but a dataset is read twice: keep its bytes and serve every pass from them. */
async function openStdin(stdin: NodeJS.ReadableStream, format: DatasetFormat): Promise<Dataset> {
  const file = '<stdin>';
  if ((stdin as { isTTY?: boolean }).isTTY === true) {
    throw new UsageError('the dataset path is `-` (read stdin), but stdin is a terminal: pipe the dataset in');
  }
  const { source, digest } = digestingSource(memorySource(file, await readAllBytes(file, stdin)));
  const read = await readers[format]();
  return { file, rows: () => read(source), digest };
}
