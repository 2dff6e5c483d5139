import type { ResultRecord } from '../results/record.js';

// Lower ranks are worse: an error first, then a row judged a fail, then any other scored row.
function rank(record: ResultRecord): number {
  if (record.error !== null) return 0;
  if (record.pass === false) return 1;
  return 2;
}

/**
 * Orders records worst first: errors, then rows judged a fail, then the other scored rows; within
 * each, lower scores first (a missing score last), then by id so that the order is stable.
 */
export function compareWorstFirst(a: ResultRecord, b: ResultRecord): number {
  return (
    rank(a) - rank(b) ||
    (a.score ?? Number.POSITIVE_INFINITY) - (b.score ?? Number.POSITIVE_INFINITY) ||
    (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  );
}

/** Whether a record can be among the worst: it failed, or it has a score to rank it by. */
function ranked(record: ResultRecord): boolean {
  return record.error !== null || record.pass === false || record.score !== null;
}

/**
 * Keeps the `limit` worst records of a stream, in memory bounded by `limit` whatever the stream's
 * length. Rows with neither a score nor a failing verdict (a pairwise verdict) are never among them.
 */
export class WorstRows {
  private readonly kept: ResultRecord[] = [];

  constructor(readonly limit = 10) {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`limit must be a whole number of 0 or more, not ${limit}`);
  }

  /** Considers one record; keeps it only while it is among the worst seen. */
  add(record: ResultRecord): void {
    if (this.limit === 0 || !ranked(record)) return;
    const last = this.kept[this.kept.length - 1];
    if (this.kept.length === this.limit && last !== undefined && compareWorstFirst(record, last) >= 0) return;
    // The row itself can be large and plays no part in a report of the worst rows.
    const slim: ResultRecord = { ...record, row: {} };
    let at = this.kept.length;
    while (at > 0 && compareWorstFirst(slim, this.kept[at - 1]!) < 0) at--;
    this.kept.splice(at, 0, slim);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  /** The worst records seen, worst first (their `row` is left out). */
  rows(): ResultRecord[] {
    return [...this.kept];
  }
}
