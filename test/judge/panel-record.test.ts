/** Issue 17 item 1: how the judges' records of a row fold into the panel's record, and what readers count from it. */
import { describe, expect, it } from 'vitest';
import type { AnswerSpec } from '../../src/judge/answer-spec.js';
import type { GradeContext } from '../../src/judge/grade-row.js';
import { panelRecord, type Panel } from '../../src/judge/grade-panel-row.js';
import { scoreAnswerSpec } from '../../src/judge/modes/score.js';
import { requestsOf, retriesOf, type ResultRecord, type Sample } from '../../src/results/record.js';
import { makeErrorRecord, makeRecord } from '../results/helpers.js';

const panel: Pick<Panel, 'judges' | 'judge' | 'aggregate' | 'rules'> = {
  judges: ['judge-a', 'judge-b', 'judge-c'].map((name) => ({ name, ctx: {} as GradeContext })),
  judge: { model: 'judge-a,judge-b,judge-c', prompt: 'correctness', prompt_sha: 'abc' },
  aggregate: 'mean',
  rules: { mode: 'score', spec: scoreAnswerSpec({ scale: { min: 1, max: 5 }, pass: 4 }) as AnswerSpec, pass: 4 },
};
const job = { id: 'q1', fields: { input: 'x' } };
const usage = (prompt: number) => ({ prompt_tokens: prompt, completion_tokens: 10, cached_tokens: 0, reasoning_tokens: 0 });

describe("a panel's record", () => {
  it('sums attempts and tokens over the votes, takes the slowest judge\'s time, and is cached only when every vote was', () => {
    const records: ResultRecord[] = [
      makeRecord({ score: 5, attempts: 1, latency_ms: 100, wait_ms: 5, usage: usage(100), cached: true }),
      makeRecord({ score: 3, attempts: 2, latency_ms: 300, wait_ms: 40, usage: usage(200) }),
      makeRecord({ score: 4, attempts: 1, latency_ms: 200, wait_ms: 10, usage: usage(300), cached: true }),
    ];
    const record = panelRecord(job, records, panel);
    expect(record).toMatchObject({ score: 4, pass: true, agreement: 1 / 3, attempts: 4, latency_ms: 300, wait_ms: 40, judge: { model: 'judge-a,judge-b,judge-c' } });
    expect(record.usage).toEqual({ prompt_tokens: 600, completion_tokens: 30, cached_tokens: 0, reasoning_tokens: 0 });
    expect(record.cached).toBeUndefined();
    expect(record.votes!.map((vote) => [vote.judge, vote.score, vote.cached])).toEqual([['judge-a', 5, true], ['judge-b', 3, undefined], ['judge-c', 4, true]]);
    // Only judge-b's answer was sent this time; its second attempt was a retry.
    expect(requestsOf(record)).toBe(2);
    expect(retriesOf(record)).toBe(1);
    expect(panelRecord(job, records.map((r) => ({ ...r, cached: true })), panel).cached).toBe(true);
  });

  it('is decided by the judges that answered, and keeps the failed judge\'s vote with its error and no grade', () => {
    const record = panelRecord(job, [makeRecord({ score: 5 }), makeErrorRecord('q1', 'timeout'), makeRecord({ score: 2 })], panel);
    expect(record).toMatchObject({ score: 3.5, pass: false, error: null, agreement: 1 / 2 });
    expect(record.votes![1]).toMatchObject({ judge: 'judge-b', score: null, pass: null, error: { code: 'timeout', message: 'timeout on q1' } });
  });

  it('has no agreement when only one judge answered', () => {
    const record = panelRecord(job, [makeErrorRecord('q1', 'timeout'), makeErrorRecord('q1', 'server_error'), makeRecord({ score: 2 })], panel);
    expect(record).toMatchObject({ score: 2, error: null, agreement: null });
  });

  it('keeps each judge\'s own samples in its vote, from which its retries are counted', () => {
    const samples: Sample[] = [
      { repeat: 1, order: 'AB', score: null, pass: null, verdict: 'A', label: null, criteria: null, reasoning: 'r' },
      { repeat: 1, order: 'BA', score: null, pass: null, verdict: 'B', label: null, criteria: null, reasoning: 'r' },
    ];
    const pairwise = { ...panel, aggregate: 'majority' as const, rules: { ...panel.rules, mode: 'pairwise' as const } };
    const records = [0, 1, 2].map((i) => makeRecord({ score: null, pass: null, verdict: 'tie', samples, flipped: true, attempts: 2 + i }));
    const record = panelRecord(job, records, pairwise);
    expect(record).toMatchObject({ verdict: 'tie', samples: null, flipped: null });
    expect(record.votes!.every((vote) => vote.samples?.length === 2)).toBe(true);
    // Two asks a judge (both orders): 2, 3 and 4 attempts are 0, 1 and 2 retries.
    expect(retriesOf(record)).toBe(3);
  });
});
