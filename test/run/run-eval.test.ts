import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/io.js';
import { runAgainstEmulator } from '../helpers/run.js';

function expectRun<T extends { kind: string }>(result: T): Extract<T, { kind: 'run' }> {
  expect(result.kind).toBe('run');
  return result as Extract<T, { kind: 'run' }>;
}

describe('runEval against the emulator', () => {
  it('grades every row once, within the scale, and summarises them', async () => {
    const { result, records, stats } = await runAgainstEmulator({ seed: 3 }, { rows: 12 });
    const run = expectRun(result);
    expect(run.exitCode).toBe(0);
    expect(records.map((r) => r.id).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `q${i + 1}`).sort());
    for (const record of records) {
      expect(record.error).toBeNull();
      expect(record.score).toBeGreaterThanOrEqual(1);
      expect(record.score).toBeLessThanOrEqual(5);
      expect(record.pass).toBe(record.score! >= 4);
      expect(record.judge).toMatchObject({ model: 'gpt-4o-mini', prompt: 'correctness' });
      expect(record.usage.prompt_tokens).toBeGreaterThan(0);
      expect(record.row).toMatchObject({ id: record.id });
    }
    expect(stats.requests).toBe(12);
    expect(run.summary).toMatchObject({ status: 'complete', rows: 12, graded: 12, requests: 12, retries: 0 });
    const mean = records.reduce((sum, r) => sum + r.score!, 0) / records.length;
    expect(run.summary.mean).toBeCloseTo(mean, 10);
  });

  it('waits out a 429 retry-after-ms and then grades the row', async () => {
    const { result, records, stats } = await runAgainstEmulator(
      { faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 300, match: 'Question number 1?' }] },
      { rows: 1 },
    );
    const run = expectRun(result);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ error: null, attempts: 2 });
    expect(stats.log.map((entry) => entry.status)).toEqual([429, 200]);
    // The retry came no sooner than the server asked.
    expect(stats.log[1]!.at - stats.log[0]!.at).toBeGreaterThanOrEqual(300);
    expect(run.summary).toMatchObject({ rate_limited: 1, retries: 1, requests: 2 });
  });

  it('stops at once on insufficient_quota: exit 3, no more requests than the concurrency, in-flight aborted', async () => {
    const started = performance.now();
    const { result, records, stats } = await runAgainstEmulator(
      // One row hits the quota error; every other request hangs, so only an abort can end the run.
      { faults: [{ kind: 'insufficient_quota', match: 'Question number 3?' }, { kind: 'hang' }] },
      { rows: 40, concurrency: 4 },
    );
    const elapsed = performance.now() - started;
    const run = expectRun(result);
    expect(run.exitCode).toBe(3);
    expect(run.stop).toMatchObject({ code: 'insufficient_quota' });
    expect(run.summary.status).toBe('failed');
    expect(stats.requests).toBeLessThanOrEqual(4);
    expect(records).toEqual([]);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stops on a 401 without retrying it', async () => {
    const { result, stats } = await runAgainstEmulator({ faults: [{ kind: 'unauthorized' }] }, { rows: 30, concurrency: 3 });
    const run = expectRun(result);
    expect(run.exitCode).toBe(3);
    expect(run.stop).toMatchObject({ code: 'auth_error' });
    expect(stats.requests).toBeLessThanOrEqual(3);
    expect(run.summary.retries).toBe(0);
  });

  it('records a persistent 500 as an error row and grades the rest', async () => {
    const { result, records, stats } = await runAgainstEmulator(
      { faults: [{ kind: 'server_error', match: 'Question number 2?' }] },
      { rows: 5, maxRetries: 2, maxErrorRate: 0.5 },
    );
    const run = expectRun(result);
    const failed = records.find((r) => r.id === 'q2')!;
    expect(failed).toMatchObject({ score: null, pass: null, error: { code: 'server_error' }, attempts: 3 });
    expect(records.filter((r) => r.error === null)).toHaveLength(4);
    expect(stats.requests).toBe(4 + 3);
    expect(run.summary.errors).toEqual({ server_error: 1 });
    expect(run.exitCode).toBe(0);
  });

  it('exits 3 when more rows than --max-error-rate end in error', async () => {
    const { result } = await runAgainstEmulator(
      { faults: [{ kind: 'server_error', match: 'Question number 2?' }] },
      { rows: 5, maxRetries: 0 },
    );
    const run = expectRun(result);
    expect(run.exitCode).toBe(3);
    expect(run.reasons.join(' ')).toMatch(/error/);
  });

  it('re-asks a malformed answer once, then records it as unparseable', async () => {
    const { records, stats } = await runAgainstEmulator({ faults: [{ kind: 'malformed', match: 'Question number 1?' }] }, { rows: 2 });
    const bad = records.find((r) => r.id === 'q1')!;
    expect(bad).toMatchObject({ score: null, error: { code: 'unparseable_answer' }, attempts: 2 });
    const asks = stats.log.filter((entry) => entry.prompt.includes('Question number 1?'));
    expect(asks).toHaveLength(2);
    // The re-ask shows the judge what was wrong instead of repeating the same request blind.
    expect(asks[1]!.prompt).toContain('could not be read');
    expect(records.find((r) => r.id === 'q2')!.error).toBeNull();
  });

  // Issue 15: latency_ms counted the time a row waited at the rate gate and between retries.
  it("keeps a record's latency_ms to its answer's round trip, and the waiting in wait_ms", async () => {
    const { records } = await runAgainstEmulator(
      { latencyMs: 50, faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 400 }] },
      { rows: 1, concurrency: 1 },
    );
    const record = records[0]!;
    expect(record.attempts).toBe(2);
    // The emulator answers after 50 ms; the 429's retry-after held the row for 400 ms before that.
    expect(record.latency_ms).toBeGreaterThanOrEqual(50);
    expect(record.wait_ms).toBeGreaterThanOrEqual(400);
    expect(record.latency_ms).toBeLessThan(record.wait_ms!);
  });

  // Regression: one prose answer mid-run (the demo's malformed fault) switched the whole run to
  // plain-text answers, as if the server ignored response_format.
  it('keeps structured outputs on after a prose answer from a server that has answered in the schema', async () => {
    const { records, events, stats } = await runAgainstEmulator(
      { faults: [{ kind: 'malformed', match: 'Question number 4?' }] },
      { rows: 6, concurrency: 1 },
    );
    expect(events.some((event) => event.type === 'structured-outputs-off')).toBe(false);
    expect(records.filter((r) => r.error === null)).toHaveLength(5);
    const after = stats.log.filter((entry) => /Question number [56]\?/.test(entry.prompt));
    expect(after).toHaveLength(2);
    for (const entry of after) expect(entry.prompt).not.toContain('could not be read');
  });

  it('grades a row whose first answer was malformed when the re-ask is good', async () => {
    const { records } = await runAgainstEmulator({ faults: [{ kind: 'malformed', count: 1 }] }, { rows: 1 });
    expect(records[0]).toMatchObject({ error: null, attempts: 2 });
    expect(records[0]!.score).not.toBeNull();
  });

  it.each([
    ['truncated', 'truncated'],
    ['refusal', 'refused'],
    ['empty', 'unparseable_answer'],
  ] as const)('never turns a %s answer into a grade', async (kind, code) => {
    const { records, stats } = await runAgainstEmulator({ faults: [{ kind }] }, { rows: 1, maxErrorRate: 1 });
    expect(records[0]).toMatchObject({ score: null, pass: null, error: { code }, attempts: 2 });
    expect(stats.requests).toBe(2);
  });

  it('retries a dropped connection and a hung request (attempt timeout), then grades', async () => {
    const dropped = await runAgainstEmulator({ faults: [{ kind: 'drop', count: 1 }] }, { rows: 1 });
    expect(dropped.records[0]).toMatchObject({ error: null, attempts: 2 });
    const hung = await runAgainstEmulator({ faults: [{ kind: 'hang', count: 1 }] }, { rows: 1, timeout: 200 });
    expect(hung.records[0]).toMatchObject({ error: null, attempts: 2 });
  });

  it('records a timeout when every attempt hangs', async () => {
    const { records } = await runAgainstEmulator({ faults: [{ kind: 'hang' }] }, { rows: 1, timeout: 100, maxRetries: 1, maxErrorRate: 1 });
    expect(records[0]).toMatchObject({ error: { code: 'timeout' }, attempts: 2 });
  });

  it('never has more requests in flight than --concurrency', async () => {
    const { stats, records } = await runAgainstEmulator({ latencyMs: 25, jitterMs: 10 }, { rows: 30, concurrency: 3 });
    expect(records).toHaveLength(30);
    expect(stats.maxInFlight).toBeLessThanOrEqual(3);
    // ...and does use the concurrency it is given.
    expect(stats.maxInFlight).toBe(3);
  });

  it('falls back to plain-text answers when the server has no structured outputs', async () => {
    const { records, stats, events } = await runAgainstEmulator({ structuredOutputs: false }, { rows: 4, concurrency: 1 });
    expect(records.every((r) => r.error === null && r.score !== null)).toBe(true);
    // One refused request, then every request in plain text.
    expect(stats.requests).toBe(5);
    expect(events.filter((e) => e.type === 'structured-outputs-off')).toHaveLength(1);
  });

  it('fails a request larger than the whole TPM limit without retrying it', async () => {
    const dir = await tempDir();
    const dataset = path.join(dir, 'big.jsonl');
    await writeFile(dataset, `${JSON.stringify({ id: 'big', input: 'Summarise.', reference: 'r', output: 'word '.repeat(4_000) })}\n`);
    const { records, stats } = await runAgainstEmulator({ tpm: 2_000 }, { dataset, maxErrorRate: 1 });
    expect(records[0]).toMatchObject({ id: 'big', error: { code: 'request_too_large' }, attempts: 1 });
    expect(stats.requests).toBe(1);
  });

  it('keeps the records of a cancelled run and reports it as cancelled', async () => {
    const controller = new AbortController();
    let graded = 0;
    const { result, records } = await runAgainstEmulator(
      { latencyMs: 20 },
      { rows: 200, concurrency: 2 },
      {
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'row' && ++graded === 5) controller.abort();
        },
      },
    );
    const run = expectRun(result);
    expect(run.exitCode).toBe(130);
    expect(run.summary.status).toBe('cancelled');
    expect(records.length).toBeGreaterThanOrEqual(5);
    expect(records.length).toBeLessThan(200);
    expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  });

  it('sends nothing on --dry-run and reports the first request and an estimate', async () => {
    const { result, stats } = await runAgainstEmulator({}, { rows: 7, dryRun: true });
    expect(result.kind).toBe('dry-run');
    if (result.kind !== 'dry-run') return;
    expect(stats.requests).toBe(0);
    expect(result.report.rows).toBe(7);
    expect(result.report.firstRequest.messages[1]!.content).toContain('Question number 1?');
    expect(result.report.estimatedTokens.completion).toBe(7 * 400);
    expect(result.report.estimatedCostUsd).toBeGreaterThan(0);
  });
});
