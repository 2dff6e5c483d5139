/** Issue 15: run (gradeRow) and batch (batchRecord) build records with one function. */
import { describe, expect, it } from 'vitest';
import { batchRecord } from '../../src/batch/read-output.js';
import { buildRecord } from '../../src/results/build-record.js';
import { RECORD_KEYS, type Sample } from '../../src/results/record.js';
import { makeRecord } from './helpers.js';

const JUDGE = { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: 'abc' };
const ROW = { id: 'q1', fields: { input: 'Q' }, judge: JUDGE };
const USAGE = { prompt_tokens: 10, completion_tokens: 5, cached_tokens: 0, reasoning_tokens: 0 };
const GRADE = { score: 4, pass: true, verdict: null, label: null, criteria: null, reasoning: 'Good.' };
const SAMPLE: Sample = { repeat: 1, order: 'AB', ...GRADE };

describe('buildRecord', () => {
  it('builds a graded record with every key and no optional one it was not given', () => {
    const record = buildRecord(ROW, { grade: GRADE, scoring: 'answer' }, { attempts: 2, latencyMs: 30, waitMs: 0, usage: USAGE, cached: false });
    expect(record).toStrictEqual(makeRecord({ id: 'q1', reasoning: 'Good.', judge: JUDGE, attempts: 2, latency_ms: 30, wait_ms: 0, usage: USAGE, row: { input: 'Q' } }));
    expect(Object.keys(record).sort()).toEqual([...RECORD_KEYS, 'wait_ms'].sort());
  });

  it('builds an error record with no grade, keeping the samples that came back', () => {
    const record = buildRecord(ROW, { error: { code: 'timeout', message: 'slow' }, samples: [SAMPLE] }, { attempts: 3, latencyMs: 0, waitMs: 0, usage: USAGE });
    expect(record).toMatchObject({ score: null, pass: null, reasoning: null, scoring: null, agreement: null, flipped: null, samples: [SAMPLE], error: { code: 'timeout' } });
  });

  it('writes cached only when true, and finish_reason only when there is one', () => {
    const record = buildRecord(ROW, { grade: GRADE, scoring: 'logprobs' }, { attempts: 1, latencyMs: 1, waitMs: 0, usage: USAGE, cached: true, finishReason: 'odd' });
    expect(record).toMatchObject({ cached: true, finish_reason: 'odd', scoring: 'logprobs' });
  });

  it('is what a batch record is: the same fields as a run record of the same answer', () => {
    const outcome = { grade: GRADE, error: null, usage: USAGE };
    const fromBatch = batchRecord('q1', { input: 'Q' }, outcome, JUDGE);
    expect(fromBatch).toStrictEqual(buildRecord(ROW, { grade: GRADE, scoring: 'answer' }, { attempts: 1, latencyMs: 0, waitMs: 0, usage: USAGE }));
    const failed = batchRecord('q1', { input: 'Q' }, { grade: null, error: { code: 'timeout', message: 'expired' }, usage: USAGE }, JUDGE);
    expect(failed).toStrictEqual(buildRecord(ROW, { error: { code: 'timeout', message: 'expired' } }, { attempts: 1, latencyMs: 0, waitMs: 0, usage: USAGE }));
  });
});
