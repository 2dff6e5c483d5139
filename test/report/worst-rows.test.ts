import { describe, expect, it } from 'vitest';
import type { ResultRecord } from '../../src/results/record.js';
import { compareWorstFirst, WorstRows } from '../../src/report/worst-rows.js';
import { makeErrorRecord, makeRecord } from '../results/helpers.js';

// A fixed shuffle, so that arrival order is neither sorted nor reversed.
function shuffled<T>(items: T[], seed = 7): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const ids = (records: ResultRecord[]) => records.map((r) => r.id);

describe('WorstRows', () => {
  it('keeps only the limit worst of a long stream, whatever order the rows arrive in', () => {
    const records = Array.from({ length: 1000 }, (_, i) => makeRecord({ id: `r${String(i).padStart(4, '0')}`, score: (i % 97) + 1, pass: true }));
    const worst = new WorstRows(10);
    for (const record of shuffled(records)) worst.add(record);
    const expected = [...records].sort(compareWorstFirst).slice(0, 10);
    expect(ids(worst.rows())).toEqual(ids(expected));
    expect(worst.rows()).toHaveLength(10);
    expect(worst.rows().every((r) => r.score === 1 || r.score === 2)).toBe(true);
  });

  it('puts error rows first, then rows judged a fail, then the lowest scores', () => {
    const worst = new WorstRows(5);
    for (const record of [
      makeRecord({ id: 'high', score: 5, pass: true }),
      makeRecord({ id: 'low-pass', score: 1, pass: true }),
      makeRecord({ id: 'fail-3', score: 3, pass: false }),
      makeErrorRecord('err-b', 'timeout'),
      makeRecord({ id: 'fail-2', score: 2, pass: false }),
      makeErrorRecord('err-a', 'server_error'),
    ]) {
      worst.add(record);
    }
    expect(ids(worst.rows())).toEqual(['err-a', 'err-b', 'fail-2', 'fail-3', 'low-pass']);
  });

  it('ranks a pass-fail row judged a fail without a score after failures that have one', () => {
    const worst = new WorstRows(3);
    worst.add(makeRecord({ id: 'no-score', score: null, pass: false }));
    worst.add(makeRecord({ id: 'scored', score: 4, pass: false }));
    expect(ids(worst.rows())).toEqual(['scored', 'no-score']);
  });

  it('never lists a row with neither a score nor a failing verdict', () => {
    const worst = new WorstRows(3);
    worst.add(makeRecord({ id: 'pairwise', score: null, pass: null, verdict: 'A' }));
    worst.add(makeRecord({ id: 'scored', score: 5 }));
    expect(ids(worst.rows())).toEqual(['scored']);
  });

  it('drops the dataset row from what it keeps, so memory stays small', () => {
    const worst = new WorstRows(1);
    worst.add(makeRecord({ row: { input: 'x'.repeat(100_000) } }));
    expect(worst.rows()[0]!.row).toEqual({});
  });

  it('keeps nothing with a limit of 0, and refuses a negative limit', () => {
    const worst = new WorstRows(0);
    worst.add(makeErrorRecord('e', 'timeout'));
    expect(worst.rows()).toEqual([]);
    expect(() => new WorstRows(-1)).toThrow(RangeError);
  });
});
