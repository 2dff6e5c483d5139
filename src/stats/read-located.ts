import { readLocatedResults, type LocatedRecord } from '../results/read-results.js';

export type { LocatedRecord };

/**
 * Reads a results file (JSONL or CSV, by extension), each record with its place, so that a label
 * that cannot be read can be pointed at. The results reader names a file, line or row that is not
 * a verdict record.
 */
export function readLocatedRecords(file: string): AsyncGenerator<LocatedRecord> {
  return readLocatedResults(file);
}
