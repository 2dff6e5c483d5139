/**
 * Issue 13's table, one provider behaviour at a time: 20 rows at --concurrency 4 through the
 * emulator playing that provider, over real HTTP.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunOptions } from '../../src/config.js';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { renderSummary } from '../../src/report/render-summary.js';
import type { RunEvent } from '../../src/run/events.js';
import { runEval } from '../../src/run/run-eval.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, runAgainstEmulator, TEST_KEY } from '../helpers/run.js';

const rows = 20;
const concurrency = 4;

/** Runs against an emulator whose URL the test shapes (a base URL without /v1). */
async function runWithBaseUrl(emulatorOptions: EmulatorOptions, baseUrlOf: (url: string) => string) {
  const emulator = await startEmulator(emulatorOptions);
  try {
    const dir = await tempDir();
    const out = path.join(dir, 'results.jsonl');
    const result = await runEval(
      RunOptions.parse({ prompt: 'correctness', dataset: await qaDataset(rows, dir), out: [out], baseUrl: baseUrlOf(emulator.url), concurrency }),
      { apiKey: TEST_KEY, backoff: { baseMs: 5, capMs: 50 } },
    );
    return { result, records: await readRecords(out), stats: emulator.stats() };
  } finally {
    await emulator.close();
  }
}

function run(result: Awaited<ReturnType<typeof runAgainstEmulator>>['result']) {
  if (result.kind !== 'run') throw new Error('expected a run');
  return result;
}

describe('a Gemini 429 whose body is a JSON array with RetryInfo', () => {
  it('waits the 1.5 s the body asks, once for everyone, instead of a backoff of its own', async () => {
    const { result, records, stats, events } = await runAgainstEmulator(
      { profile: 'gemini', faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 1_500 }] },
      { rows, concurrency },
    );
    expect(records.filter((r) => r.error === null)).toHaveLength(rows);
    expect(run(result).exitCode).toBe(0);
    // The cooldown the client chose is the body's retryDelay, and the reason says where it came from.
    const cooldowns = events.filter((e): e is Extract<RunEvent, { type: 'waiting' }> => e.type === 'waiting' && e.reason === 'cooldown');
    expect(cooldowns).toHaveLength(1);
    expect(cooldowns[0]).toMatchObject({ ms: 1_500, why: expect.stringContaining('RetryInfo.retryDelay') });
    // One 429, then every row once; nothing arrived while the emulator's announced wait lasted.
    expect(stats.outcomes).toEqual({ rate_limit: 1, ok: rows });
    expect(stats.duringCooldown).toBe(0);
  });
});

describe('runs that nothing can save stop at once: exit 3, at most --concurrency requests, the server\'s words', () => {
  it.each([
    ['Gemini, a per-day quota (QuotaFailure)', { profile: 'gemini' }, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota'],
    ['OpenRouter, 402 out of credits', { profile: 'openrouter' }, 'payment_required', 'insufficient_quota', 'Insufficient credits'],
    ['any server, a 402', { profile: 'openai' }, 'payment_required', 'insufficient_quota', 'no credit left'],
    ['Anthropic, 400 credit balance too low', { profile: 'anthropic' }, 'insufficient_quota', 'insufficient_quota', 'Your credit balance is too low'],
    ['Gemini, 400 API_KEY_INVALID', { profile: 'gemini' }, 'unauthorized', 'auth_error', 'API key not valid'],
    ['OpenAI, 429 insufficient_quota', { profile: 'openai' }, 'insufficient_quota', 'insufficient_quota', 'You exceeded your current quota'],
    ['OpenAI, 429 project_spend_limit_exceeded', { profile: 'openai' }, 'spend_limit', 'insufficient_quota', 'spend limit'],
    ['Anthropic, 429 enforced_spend_limit_reached', { profile: 'anthropic' }, 'spend_limit', 'insufficient_quota', 'monthly spend limit'],
  ] as const)('%s', async (_name, emulator, fault, code, words) => {
    const { result, records, stats } = await runAgainstEmulator({ ...emulator, faults: [{ kind: fault }] }, { rows, concurrency });
    const outcome = run(result);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stop).toMatchObject({ code, message: expect.stringContaining(words) });
    expect(records).toEqual([]);
    expect(stats.requests).toBeLessThanOrEqual(concurrency);
    // The summary counts what reached the server, not what was cancelled before it was sent.
    expect(outcome.summary.requests).toBe(stats.requests);
  });

  it('also when --rpm and --tpm are given, so that --concurrency requests go at once', async () => {
    const { result, stats } = await runAgainstEmulator(
      { profile: 'openrouter', latencyMs: 20, faults: [{ kind: 'payment_required' }] },
      { rows, concurrency, rpm: 60_000, tpm: 1e9 },
    );
    const outcome = run(result);
    expect(outcome.exitCode).toBe(3);
    expect(stats.requests).toBeLessThanOrEqual(concurrency);
    expect(outcome.summary.requests).toBe(stats.requests);
  });

  it('LM Studio without /v1 in the base URL: its 200 error stops the run with a hint about /v1', async () => {
    const { result, records, stats } = await runWithBaseUrl({ profile: 'lmstudio' }, (url) => url.replace(/\/v1$/, ''));
    const outcome = run(result);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.stop).toMatchObject({ code: 'not_a_chat_completion', message: expect.stringContaining('Unexpected endpoint or method') });
    expect(outcome.stop?.hint).toContain('/v1');
    expect(records).toEqual([]);
    expect(stats.requests).toBeLessThanOrEqual(concurrency);
    expect(outcome.summary.requests).toBe(stats.requests);
  });
});

describe('answers that are worth waiting out', () => {
  it('retries Anthropic\'s 529 overloaded_error like a 503', async () => {
    const { result, records, stats } = await runAgainstEmulator({ profile: 'anthropic', faults: [{ kind: 'overloaded', count: 2 }] }, { rows, concurrency });
    expect(records.filter((r) => r.error === null)).toHaveLength(rows);
    expect(stats.outcomes.overloaded).toBe(2);
    expect(stats.log.filter((e) => e.status === 529)).toHaveLength(2);
    expect(run(result).summary.retries).toBe(2);
  });

  it('treats Azure\'s -1 limit headers as unknown: nothing learned, nothing waited for', async () => {
    const { result, records, events } = await runAgainstEmulator({ profile: 'azure' }, { rows, concurrency });
    expect(records.filter((r) => r.error === null)).toHaveLength(rows);
    const limits = events.filter((e): e is Extract<RunEvent, { type: 'limits' }> => e.type === 'limits');
    expect(limits.every((e) => e.tpm === null && e.rpm === null)).toBe(true);
    expect(run(result).exitCode).toBe(0);
  });

  it('reads OpenRouter\'s wait from error.metadata.headers X-RateLimit-Reset', async () => {
    const { records, events } = await runAgainstEmulator({ profile: 'openrouter', faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 600 }] }, { rows, concurrency });
    expect(records.filter((r) => r.error === null)).toHaveLength(rows);
    const cooldown = events.find((e): e is Extract<RunEvent, { type: 'waiting' }> => e.type === 'waiting' && e.reason === 'cooldown');
    expect(cooldown?.why).toContain('X-RateLimit-Reset');
    // Epoch ms written by the emulator, read against the same clock a moment later.
    expect(cooldown?.ms).toBeGreaterThan(0);
    expect(cooldown?.ms).toBeLessThanOrEqual(600);
  });

  it('retries an OpenRouter error sent inside an HTTP 200 like the 502 it names', async () => {
    const { result, records, stats } = await runAgainstEmulator({ profile: 'openrouter', faults: [{ kind: 'error_in_ok', count: 2 }] }, { rows, concurrency });
    expect(records.filter((r) => r.error === null)).toHaveLength(rows);
    expect(stats.log.filter((e) => e.outcome === 'error_in_ok').map((e) => e.status)).toEqual([200, 200]);
    expect(run(result).summary.retries).toBe(2);
  });
});

describe('the summary of a run whose rows all failed alike', () => {
  it('shows the server\'s message for the error, not just its code', async () => {
    const { result } = await runAgainstEmulator({ faults: [{ kind: 'bad_request' }] }, { rows, concurrency });
    const { summary } = run(result);
    expect(summary.errors).toEqual({ bad_request: rows });
    expect(summary.top_error).toEqual({ code: 'bad_request', rows, message: expect.stringContaining('the emulator was told to reject this request') });
    // Wrapped between words to the terminal's width, never cut.
    const text = renderSummary(summary, { color: false, width: 80 });
    expect(text.replace(/\s+/g, ' ')).toContain("bad_request (20 rows): Invalid value for 'messages': the emulator was told to reject this request.");
    for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
