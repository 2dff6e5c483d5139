import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { copyRanges, rewriteKeeping, type ByteRange } from './compact.js';
import { scanCsvResults, scanJsonlResults, type ResultsScan, type ScannedEntry } from './scan-results.js';

/** What existing results files say about a run being continued. */
export interface ResumeState {
  /** Ids graded without error in every existing results file: these rows are skipped. */
  graded: Set<string>;
  /** Ids whose record is an error (and that no file has a graded record for). */
  errored: Set<string>;
  /** The results files that existed (the others start empty). */
  existing: string[];
  /** Things the user should know: set-aside torn lines, dropped error records, new files. */
  notes: string[];
}

/**
 * Prepares results files for `--resume`: scans each, sets aside a torn or corrupt tail in a
 * `.torn-<time>` file beside it, and compacts each file to exactly one graded record per id graded
 * in every file. Error records are dropped (their rows are graded again, and appending a second
 * record for an id would count it twice). Files that do not exist yet are left to be created.
 * With `votesToo` (`--retry-errors`) a panel's record with a judge's vote in error counts as an
 * error record: its row is graded again by the whole panel.
 */
export async function prepareResume(paths: readonly string[], options: { stamp: string; votesToo?: boolean }): Promise<ResumeState> {
  const counts = (entry: ScannedEntry) => entry.graded && !(options.votesToo && entry.shortOfAVote);
  const scans: ResultsScan[] = [];
  const notes: string[] = [];
  for (const path of paths) {
    // A JUnit report holds no records to continue from: openSinks rebuilds it from the others.
    if (extname(path).toLowerCase() === '.xml') continue;
    if (!(await exists(path))) {
      if (paths.length > 1) notes.push(`${path} does not exist yet: it will hold only the rows graded from now on`);
      continue;
    }
    scans.push(extname(path).toLowerCase() === '.csv' ? await scanCsvResults(path) : await scanJsonlResults(path));
  }

  const graded = intersection(scans.map((scan) => new Set(scan.entries.filter(counts).map((e) => e.id))));
  const errored = new Set<string>();
  for (const scan of scans) for (const entry of scan.entries) if (!counts(entry) && !graded.has(entry.id)) errored.add(entry.id);

  for (const scan of scans) {
    const keep: ByteRange[] = [{ start: 0, end: scan.headerEnd }];
    const written = new Set<string>();
    for (const entry of scan.entries) {
      if (!counts(entry) || !graded.has(entry.id) || written.has(entry.id)) continue;
      written.add(entry.id);
      keep.push({ start: entry.start, end: entry.end });
    }
    const dropped = scan.entries.length - written.size;
    if (scan.damaged.length > 0) {
      const aside = `${scan.path}.torn-${options.stamp}`;
      await copyRanges(scan.path, aside, scan.damaged);
      const where = scan.damaged.map((d) => `line ${d.line}: ${d.reason}`).join('; ');
      notes.push(`set aside what could not be read in ${scan.path} (${where}) in ${aside}`);
    }
    if (dropped > 0 || scan.damaged.length > 0) await rewriteKeeping(scan.path, keep);
    if (dropped > 0) notes.push(`${scan.path}: dropped ${dropped} error or duplicate record${dropped === 1 ? '' : 's'}; those rows are graded again`);
  }
  return { graded, errored, existing: scans.map((scan) => scan.path), notes };
}

function intersection(sets: Set<string>[]): Set<string> {
  if (sets.length === 0) return new Set();
  const [first, ...rest] = sets;
  return new Set([...first!].filter((id) => rest.every((set) => set.has(id))));
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
