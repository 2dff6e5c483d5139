import { describe, expect, it } from 'vitest';
import { batchRecord, readOutputLine } from '../../src/batch/read-output.js';
import { answerSpecFor } from '../../src/judge/modes/index.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { RECORD_KEYS } from '../../src/results/record.js';

const spec = answerSpecFor(await loadPrompt('correctness'));

const completion = (content: string | null, extra: Record<string, unknown> = {}) => ({
  id: 'c',
  object: 'chat.completion',
  choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', ...extra }],
  usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120, prompt_tokens_details: { cached_tokens: 40 } },
});
const answered = (status: number, body: unknown) => JSON.stringify({ id: 'batch_req_1', custom_id: 'q1', response: { status_code: status, request_id: 'r', body }, error: null });
const errorBody = (type: string, code: string | null) => ({ error: { message: `${type} happened`, type, param: null, code } });

describe('reading a batch output line', () => {
  it('reads a 200 answer into a grade with its usage', () => {
    const read = readOutputLine(answered(200, completion(JSON.stringify({ reasoning: 'Right.', score: 5 }))), spec);
    expect(read).toEqual({
      customId: 'q1',
      outcome: { grade: expect.objectContaining({ score: 5, pass: true, reasoning: 'Right.' }), error: null, usage: { prompt_tokens: 100, completion_tokens: 20, cached_tokens: 40, reasoning_tokens: 0 } },
    });
  });

  it.each([
    ['an answer that fits no schema', completion('I think it is pretty good.'), 'unparseable_answer'],
    ['a score off the scale', completion(JSON.stringify({ reasoning: 'x', score: 9 })), 'unparseable_answer'],
    ['a cut-off answer', completion('{"reasoning": "x', { finish_reason: 'length' }), 'truncated'],
    ['a refusal', { ...completion(null), choices: [{ index: 0, message: { role: 'assistant', content: null, refusal: 'no' }, finish_reason: 'stop' }] }, 'refused'],
    ['a body that is not a completion', 'oops', 'unparseable_answer'],
  ])('records %s as an error, never a grade', (_what, body, code) => {
    const read = readOutputLine(answered(200, body), spec)!;
    expect(read.outcome.grade).toBeNull();
    expect(read.outcome.error?.code).toBe(code);
  });

  it.each([
    [500, errorBody('server_error', null), 'server_error'],
    [429, errorBody('requests', 'rate_limit_exceeded'), 'rate_limited'],
    [429, errorBody('insufficient_quota', 'insufficient_quota'), 'insufficient_quota'],
    [400, errorBody('invalid_request_error', 'context_length_exceeded'), 'bad_request'],
    [401, errorBody('invalid_request_error', 'invalid_api_key'), 'auth_error'],
    [404, errorBody('invalid_request_error', 'model_not_found'), 'not_found'],
  ])('classifies a %i answer like the synchronous path does', (status, body, code) => {
    const read = readOutputLine(answered(status, body), spec)!;
    expect(read.outcome).toMatchObject({ grade: null, error: { code, message: `${body.error.type} happened` } });
  });

  it('keeps the API code of a request that got no answer at all', () => {
    const expired = JSON.stringify({ id: 'b', custom_id: 'q9', response: null, error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' } });
    expect(readOutputLine(expired, spec)).toMatchObject({ customId: 'q9', outcome: { error: { code: 'timeout', message: /^batch_expired: This request/ } } });
    const other = JSON.stringify({ id: 'b', custom_id: 'q8', response: null, error: { code: 'batch_cancelled', message: 'Cancelled.' } });
    expect(readOutputLine(other, spec)!.outcome.error).toEqual({ code: 'unknown_error', message: 'batch_cancelled: Cancelled.' });
  });

  it('gives up on a line that is not an output line', () => {
    expect(readOutputLine('not json', spec)).toBeUndefined();
    expect(readOutputLine(JSON.stringify({ id: 'x' }), spec)).toBeUndefined();
  });

  it('builds the record a synchronous run would write, with one attempt and no latency', () => {
    const outcome = readOutputLine(answered(200, completion(JSON.stringify({ reasoning: 'Meh.', score: 3 }))), spec)!.outcome;
    const record = batchRecord('q1', { id: 'q1', input: 'Q' }, outcome, { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: 'abc' });
    expect(Object.keys(record)).toEqual([...RECORD_KEYS.slice(0, RECORD_KEYS.indexOf('latency_ms') + 1), 'wait_ms', ...RECORD_KEYS.slice(RECORD_KEYS.indexOf('latency_ms') + 1)]);
    expect(record).toMatchObject({ id: 'q1', score: 3, pass: false, error: null, attempts: 1, latency_ms: 0, wait_ms: 0, row: { id: 'q1', input: 'Q' } });
  });
});
