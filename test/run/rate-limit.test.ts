import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunOptions } from '../../src/config.js';
import type { RunEvent } from '../../src/run/events.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, runAgainstEmulator } from '../helpers/run.js';

/** A judge prompt whose requests cost about 80 tokens, so token limits bind within a second. */
async function tinyPrompt(dir: string): Promise<string> {
  const file = path.join(dir, 'tiny.md');
  await writeFile(file, '---\nname: tiny\nmax_tokens: 50\n---\nsystem:\nGrade the answer.\n\nuser:\n{{ input }} / {{ output }}\n');
  return file;
}

/** Run events with the moment each arrived. */
function timedEvents() {
  const events: Array<{ at: number; event: RunEvent }> = [];
  return { events, onEvent: (event: RunEvent) => events.push({ at: performance.now(), event }) };
}

describe('the request gate against the emulator\'s limits', () => {
  it('learns an RPM limit it was not given and grades a burst of rows with at most a couple of 429s', async () => {
    // 1200 RPM: 20 requests a second, enforced in one-second slices; 8 rows at a time would send ~300/s.
    const { result, records, stats, events } = await runAgainstEmulator({ rpm: 1_200, latencyMs: 20 }, { rows: 40, concurrency: 8 });
    expect(records).toHaveLength(40);
    expect(records.every((r) => r.error === null)).toBe(true);
    expect(stats.outcomes.rate_limited_by_budget ?? 0).toBeLessThanOrEqual(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'limits', rpm: 1_200, source: { rpm: 'server', tpm: null }, learning: false }));
    expect(result.kind === 'run' && result.summary.wait_s).toBeGreaterThan(0);
  });

  it('learns a TPM limit and paces by each request\'s tokens', async () => {
    const dir = await tempDir();
    const prompt = await tinyPrompt(dir);
    const dataset = await qaDataset(24, dir);
    // 48k TPM: 800 tokens a second, about ten of these requests.
    const { records, stats, events } = await runAgainstEmulator({ tpm: 48_000, latencyMs: 20 }, { dataset, prompt, concurrency: 8 });
    expect(records).toHaveLength(24);
    expect(records.every((r) => r.error === null)).toBe(true);
    expect(stats.outcomes.rate_limited_by_budget ?? 0).toBeLessThanOrEqual(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'limits', tpm: 48_000 }));
  });

  it('paces to --rpm before the server has said anything', async () => {
    // The server's slice is 10 requests; a --rpm of 300 (5 a second) keeps well inside it from the start.
    const { records, stats } = await runAgainstEmulator({ rpm: 600 }, { rows: 12, concurrency: 8, rpm: 300, tpm: 1e9 });
    expect(records).toHaveLength(12);
    expect(stats.outcomes.rate_limited_by_budget ?? 0).toBe(0);
    // A bucket of 4.5 requests (90% of a 5-request slice) refilled at 5 a second: between any two
    // requests the emulator saw, at most 4.5 + 5 per second of the time between them were sent. A
    // busy machine only delays requests, so this holds however loaded it is (one of slack for the
    // network's jitter); a client that did not pace would send all 12 at once.
    const at = stats.log.map((entry) => entry.at);
    for (let i = 0; i < at.length; i++) {
      for (let j = i + 1; j < at.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(Math.floor(4.5 + (5 * (at[j]! - at[i]!)) / 1000) + 1);
      }
    }
  });

  it('holds every request back while a 429 cooldown lasts: the emulator sees none before its retry-after', async () => {
    const { records, stats } = await runAgainstEmulator(
      { latencyMs: 10, faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 400 }] },
      { rows: 12, concurrency: 4 },
    );
    expect(records).toHaveLength(12);
    expect(stats.log[0]!.status).toBe(429);
    expect(stats.duringCooldown).toBe(0);
    for (const entry of stats.log.slice(1)) expect(entry.at - stats.log[0]!.at).toBeGreaterThanOrEqual(400);
  });

  it('pauses every row, not just the one that got the 429, and sends nothing until the cooldown ends', async () => {
    const timed = timedEvents();
    const { records, result } = await runAgainstEmulator(
      { latencyMs: 30, faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 300, match: 'Question number 6?' }] },
      { rows: 16, concurrency: 4 },
      { onEvent: timed.onEvent },
    );
    expect(records).toHaveLength(16);
    const cooldown = timed.events.find((e) => e.event.type === 'waiting' && e.event.reason === 'cooldown');
    expect(cooldown?.event).toEqual({ type: 'waiting', reason: 'cooldown', ms: 300, why: expect.stringContaining('retry-after-ms: Rate limit reached') });
    const later = timed.events.filter((e) => e.event.type === 'request' && e.at > cooldown!.at);
    expect(later.length).toBeGreaterThan(0);
    // The gate timed the cooldown from the 429, a moment before the event was recorded.
    for (const request of later) expect(request.at - cooldown!.at).toBeGreaterThanOrEqual(298);
    expect(result.kind === 'run' && result.summary.wait_s).toBeGreaterThanOrEqual(0.29);
  });

  it('re-queues a rate-limited row without using up --max-retries', async () => {
    const { records, result } = await runAgainstEmulator(
      { faults: [{ kind: 'rate_limit', count: 3, retryAfterMs: 50 }] },
      { rows: 1, maxRetries: 0 },
    );
    expect(records[0]).toMatchObject({ error: null, attempts: 4 });
    expect(result.kind === 'run' && result.summary).toMatchObject({ rate_limited: 3, requests: 4 });
  });

  it('finishes promptly through a 429 storm while the server reports a 6m0s token reset', async () => {
    const started = performance.now();
    const { records, stats, events } = await runAgainstEmulator(
      { rpm: 6_000, tpm: 1_000_000, resetTokensMs: 360_000, faults: [{ kind: 'rate_limit', count: 4, retryAfterMs: 100 }] },
      { rows: 10, concurrency: 4 },
    );
    expect(records.filter((r) => r.error === null)).toHaveLength(10);
    expect(stats.outcomes.rate_limit).toBe(4);
    // Each cooldown is the 429's 100 ms, never the six minutes of the token reset.
    const cooldowns = events.filter((e) => e.type === 'waiting' && e.reason === 'cooldown');
    expect(cooldowns.length).toBeGreaterThan(0);
    for (const cooldown of cooldowns) expect(cooldown).toMatchObject({ ms: 100 });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('lowers the rate and the concurrency on a 503, then ramps back', async () => {
    const { records, events } = await runAgainstEmulator(
      { rpm: 60_000, latencyMs: 5, faults: [{ kind: 'overloaded', count: 1 }] },
      { rows: 30, concurrency: 8 },
    );
    expect(records.filter((r) => r.error === null)).toHaveLength(30);
    const limits = events.filter((e): e is Extract<RunEvent, { type: 'limits' }> => e.type === 'limits');
    // Halved at the 503 (the ramp back has begun by the time the event is built).
    expect(limits.some((e) => e.rateScale > 0.49 && e.rateScale < 0.51 && e.concurrency === 4)).toBe(true);
    expect(limits.at(-1)!.concurrency).toBeGreaterThan(4);
  });

  it('refuses an --rpm or --tpm that is not a positive number, naming the flag', () => {
    const problem = (extra: object) => RunOptions.safeParse({ dataset: 'd.jsonl', prompt: 'p', ...extra }).error?.issues[0]?.message;
    expect(problem({ rpm: '0' })).toBe('--rpm must be greater than 0');
    expect(problem({ tpm: 'lots' })).toBe('--tpm must be a number');
    expect(problem({ rpm: '500', tpm: '200000' })).toBeUndefined();
  });
});
