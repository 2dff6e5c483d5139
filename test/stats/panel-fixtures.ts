import type { ErrorCode, GradeFields, ResultRecord, Vote } from '../../src/results/record.js';
import { makeRecord } from '../results/helpers.js';

const USAGE = { prompt_tokens: 100, completion_tokens: 10, cached_tokens: 0, reasoning_tokens: 0 };
const NO_GRADE: GradeFields = { score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null };

/** A judge's vote: its grade, or an error code for a vote that failed. */
export function vote(judge: string, grade: Partial<GradeFields> | ErrorCode): Vote {
  if (typeof grade === 'string') return { judge, ...NO_GRADE, error: { code: grade, message: `${grade} from ${judge}` }, attempts: 1, usage: USAGE };
  return { judge, ...NO_GRADE, reasoning: 'why', ...grade, error: null, attempts: 1, usage: USAGE };
}

/**
 * A panel's record as the run writes it (record.ts): the panel's grade as given, its error only when
 * every vote failed, attempts and usage summed over the votes, the judges' names joined with ','.
 */
export function panelRecord(id: string, votes: Vote[], panel: Partial<GradeFields>, row: Record<string, unknown> = { input: id }): ResultRecord {
  const failed = votes.every((v) => v.error !== null);
  const sum = (key: keyof typeof USAGE) => votes.reduce((total, v) => total + (v.usage[key] ?? 0), 0);
  return makeRecord({
    id,
    ...NO_GRADE,
    ...(failed ? {} : { reasoning: 'panel', ...panel }),
    scoring: failed ? null : 'answer',
    error: failed ? { code: votes[0]!.error!.code, message: 'every judge failed' } : null,
    judge: { model: [...new Set(votes.map((v) => v.judge))].join(','), prompt: 'correctness', prompt_sha: 'abc123' },
    attempts: votes.reduce((total, v) => total + v.attempts, 0),
    usage: { prompt_tokens: sum('prompt_tokens'), completion_tokens: sum('completion_tokens'), cached_tokens: sum('cached_tokens'), reasoning_tokens: 0 },
    votes,
    row,
  });
}

const score = (s: number) => ({ score: s, pass: s >= 4 });

/**
 * Three judges scoring 1-5 (pass at 4), the panel's grade their median; judge-3 fails on rows 2, 4
 * and 5, and every judge fails on row 5. Rows 2 and 4 are decided by two judges.
 */
export const SCORE_PANEL: ResultRecord[] = [
  panelRecord('r1', [vote('judge-1', score(4)), vote('judge-2', score(4)), vote('judge-3', score(5))], score(4), { input: 'r1', human: 4 }),
  panelRecord('r2', [vote('judge-1', score(2)), vote('judge-2', score(3)), vote('judge-3', 'timeout')], { score: 2.5, pass: false }, { input: 'r2', human: 3 }),
  panelRecord('r3', [vote('judge-1', score(5)), vote('judge-2', score(5)), vote('judge-3', score(5))], score(5), { input: 'r3', human: 5 }),
  panelRecord('r4', [vote('judge-1', score(1)), vote('judge-2', score(2)), vote('judge-3', 'rate_limited')], { score: 1.5, pass: false }, { input: 'r4', human: 1 }),
  panelRecord('r5', [vote('judge-1', 'timeout'), vote('judge-2', 'timeout'), vote('judge-3', 'timeout')], {}, { input: 'r5', human: 2 }),
];
/** SCORE_PANEL's scores by row and judge, failed votes missing. */
export const SCORE_UNITS = [
  [4, 4, 5],
  [2, 3, null],
  [5, 5, 5],
  [1, 2, null],
  [null, null, null],
];

/** Three judges on pairs, the panel's verdict their majority; judge-3 fails on p3. */
export const PAIRWISE_PANEL: ResultRecord[] = [
  panelRecord('p1', [vote('judge-1', { verdict: 'A' }), vote('judge-2', { verdict: 'A' }), vote('judge-3', { verdict: 'B' })], { verdict: 'A' }, { input: 'p1', human: 'A' }),
  panelRecord('p2', [vote('judge-1', { verdict: 'B' }), vote('judge-2', { verdict: 'B' }), vote('judge-3', { verdict: 'B' })], { verdict: 'B' }, { input: 'p2', human: 'B' }),
  panelRecord('p3', [vote('judge-1', { verdict: 'tie' }), vote('judge-2', { verdict: 'A' }), vote('judge-3', 'server_error')], { verdict: 'tie' }, { input: 'p3', human: 'A' }),
  panelRecord('p4', [vote('judge-1', { verdict: 'A' }), vote('judge-2', { verdict: 'B' }), vote('judge-3', { verdict: 'B' })], { verdict: 'B' }, { input: 'p4', human: 'B' }),
];
export const PAIRWISE_UNITS = [
  ['A', 'A', 'B'],
  ['B', 'B', 'B'],
  ['tie', 'A', null],
  ['A', 'B', 'B'],
];

const passFail = (pass: boolean) => ({ score: pass ? 1 : 0, pass });

/** Three judges of a pass-fail prompt (scores 1 and 0), the panel's grade their majority; judge-2 fails on f2. */
export const PASS_PANEL: ResultRecord[] = [
  panelRecord('f1', [vote('judge-1', passFail(true)), vote('judge-2', passFail(true)), vote('judge-3', passFail(false))], passFail(true)),
  panelRecord('f2', [vote('judge-1', passFail(false)), vote('judge-2', 'timeout'), vote('judge-3', passFail(false))], passFail(false)),
  panelRecord('f3', [vote('judge-1', passFail(true)), vote('judge-2', passFail(false)), vote('judge-3', passFail(true))], passFail(true)),
];
export const PASS_UNITS = [
  ['pass', 'pass', 'fail'],
  ['fail', null, 'fail'],
  ['pass', 'fail', 'pass'],
];
