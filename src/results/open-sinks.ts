import { mkdir, stat } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { UsageError } from '../errors.js';
import { openJsonlSink } from './jsonl-sink.js';
import type { ResultSink } from './sink.js';
import { identityOf, sameFile, type FileIdentity } from './output-paths.js';
import { writeErrorOf, type WriteBytes } from './write-error.js';

/** Options of {@link openSinks}. */
export interface OpenSinksOptions {
  /** Overwrite results files that already exist. */
  force: boolean;
  /** Dataset fields that CSV files keep as `row_<name>` columns. */
  rowColumns: string[];
  /** Continue existing files (`--resume`): they are appended to, never refused or truncated. */
  append?: boolean;
  /** How bytes reach the JSONL and CSV files (injectable: a test's failing disk). */
  writeBytes?: WriteBytes;
}

type Format = 'jsonl' | 'csv' | 'junit';

function formatOf(path: string): Format {
  const ext = extname(path).toLowerCase();
  if (ext === '.jsonl') return 'jsonl';
  if (ext === '.csv') return 'csv';
  if (ext === '.xml') return 'junit';
  throw new UsageError(
    `cannot write results to ${path}: the file name must end in .jsonl, .csv or .xml (JUnit)`,
    'the format of a results file is chosen by its extension',
  );
}

async function existingKind(path: string): Promise<'file' | 'directory' | undefined> {
  try {
    return (await stat(path)).isDirectory() ? 'directory' : 'file';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** One sink that writes each record to every sink given, and closes them all. */
export function fanOut(sinks: readonly ResultSink[]): ResultSink {
  if (sinks.length === 1 && sinks[0] !== undefined) return sinks[0];
  return {
    path: sinks.map((sink) => sink.path).join(', '),
    async write(record) {
      await Promise.all(sinks.map((sink) => sink.write(record)));
    },
    async close() {
      const outcomes = await Promise.allSettled(sinks.map((sink) => sink.close()));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure !== undefined) throw failure.reason;
    },
  };
}

/**
 * Opens every results file (`.jsonl`, `.csv` or `.xml` for JUnit, by extension) and returns one sink
 * writing to all. Every path is checked before any file is created, so a refusal leaves the disk untouched.
 *
 * A JUnit file is a report, not a record store: a continued run (`append`) rebuilds it whole from the
 * records of a JSONL or CSV results file given beside it, then adds the rows graded now. So a CI job
 * that always passes `--resume` gets a report of every row; without such a file there is nothing to
 * continue from, and that is refused rather than silently grading every row again.
 */
export async function openSinks(paths: string[], options: OpenSinksOptions): Promise<ResultSink> {
  if (paths.length === 0) throw new UsageError('no results file given');
  const formats = paths.map(formatOf);
  const recordPaths = paths.filter((_, index) => formats[index] !== 'junit');
  if (options.append === true && recordPaths.length === 0) {
    throw new UsageError(
      `cannot continue ${paths.join(', ')}: a JUnit XML file holds too little to resume a run from`,
      'add a record file to continue from (-o results.jsonl -o results.xml), or write JUnit in a run without --resume',
    );
  }
  // Real paths and inodes, not the names given: a symlink or hard link given twice is one file.
  const seen: { path: string; id: FileIdentity }[] = [];
  for (const path of paths) {
    const id = await identityOf(path);
    const earlier = seen.find((candidate) => sameFile(candidate.id, id))?.path;
    if (earlier !== undefined) {
      throw new UsageError(
        earlier === path ? `${path} is given twice as a results file` : `${earlier} and ${path} are the same results file`,
      );
    }
    seen.push({ path, id });
  }
  for (const path of paths) {
    const kind = await existingKind(path);
    if (kind === 'directory') throw new UsageError(`cannot write results to ${path}: it is a directory`);
    if (kind === 'file' && !options.force && !options.append) {
      throw new UsageError(
        `${path} already exists; pass --force to overwrite it`,
        'pass --resume to keep its graded rows and grade the rest, or write somewhere else with --out',
      );
    }
  }

  // Read before any sink opens: every existing record file was compacted by the resume to the same
  // graded records, so the first one that exists tells the JUnit report what earlier runs graded.
  let carriedFrom: string | undefined;
  if (options.append === true && formats.includes('junit')) {
    for (const path of recordPaths) {
      if ((await existingKind(path)) === 'file') {
        carriedFrom = path;
        break;
      }
    }
  }

  const opened: ResultSink[] = [];
  try {
    for (const [index, path] of paths.entries()) {
      await mkdir(dirname(path), { recursive: true });
      const append = options.append === true;
      const format = formats[index];
      // The CSV and JUnit writers (and the CSV reader) load only for a run that writes them.
      if (format === 'junit') {
        const [{ openJunitSink }, { readResults }] = await Promise.all([import('./junit-sink.js'), import('./read-results.js')]);
        const junit = await openJunitSink(path);
        opened.push(junit);
        if (carriedFrom !== undefined) for await (const record of readResults(carriedFrom)) await junit.write(record);
      } else {
        const writeBytes = options.writeBytes;
        opened.push(
          format === 'csv'
            ? await (await import('./csv-sink.js')).openCsvSink(path, { rowColumns: options.rowColumns, append, writeBytes })
            : await openJsonlSink(path, { append, writeBytes }),
        );
      }
    }
  } catch (error) {
    await Promise.allSettled(opened.map((sink) => sink.close()));
    throw error;
  }
  return fanOut(opened.map(namingFailures));
}

/** The sink, with every failure to write or close it a ResultsWriteError naming its file. */
function namingFailures(sink: ResultSink): ResultSink {
  return {
    path: sink.path,
    write: (record) => sink.write(record).catch((error: unknown) => Promise.reject(writeErrorOf(sink.path, error))),
    close: () => sink.close().catch((error: unknown) => Promise.reject(writeErrorOf(sink.path, error))),
  };
}
