import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { manifestPath, readManifest } from '../../src/results/manifest.js';
import { costAt, modelPrice } from '../../src/pricing/prices.js';
import type { RunEvent } from '../../src/run/events.js';
import { runAgainstEmulator } from '../helpers/run.js';

// OpenAI's reasoning families, as the emulator plays them: temperature ≠ 1 and max_tokens refused.
const OPENAI_REASONING = { reasoningModels: '^(o\\d|gpt-5)' };

const notes = (events: RunEvent[], pattern: RegExp) =>
  events.filter((e): e is Extract<RunEvent, { type: 'note' }> => e.type === 'note' && pattern.test(e.message));

const sentLog = (stats: { log: { sent?: Record<string, unknown>; outcome: string }[] }) => stats.log.map((entry) => entry.sent ?? {});

describe('a reasoning judge that refuses temperature', () => {
  it('grades every row of a gpt-5 run without sending temperature, so nothing is refused', async () => {
    const { result, records, stats, events } = await runAgainstEmulator({ reasoning: OPENAI_REASONING }, { rows: 20, model: 'gpt-5-mini', concurrency: 4 });
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records).toHaveLength(20);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(stats.outcomes).toEqual({ ok: 20 });
    expect(sentLog(stats).every((sent) => !('temperature' in sent))).toBe(true);
    // The prompt sets temperature 0 explicitly: said once that it is not sent.
    expect(notes(events, /takes only its default temperature/)).toHaveLength(1);
  });

  it('learns from an unknown model that refuses temperature: at most --concurrency extra requests, said once', async () => {
    const { result, records, stats, events, out } = await runAgainstEmulator(
      { reasoning: { reasoningModels: '^acme-' } },
      { rows: 20, model: 'acme-judge', concurrency: 4 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(records).toHaveLength(20);
    const refused = stats.outcomes.temperature_refused ?? 0;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(4);
    expect(stats.requests).toBe(20 + refused);
    expect(notes(events, /refused temperature 0/)).toHaveLength(1);
    const summary = result.kind === 'run' ? result.summary : undefined;
    expect(summary?.adaptations).toEqual(['temperature: not sent (the server refused 0)']);
    expect((await readManifest(manifestPath(out)))?.adaptations).toEqual(['temperature: not sent (the server refused 0)']);
  });
});

describe('servers that do not take max_completion_tokens', () => {
  it.each(['mistral', 'azure'] as const)('adapts to the %s refusal and sends max_tokens from then on', async (shape) => {
    const { result, records, stats, events } = await runAgainstEmulator(
      { reasoning: { refuseMaxCompletionTokens: shape } },
      { rows: 20, model: 'mistral-small-latest', concurrency: 4 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    const refused = stats.outcomes.max_completion_tokens_refused ?? 0;
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(4);
    expect(stats.outcomes.ok).toBe(20);
    expect(stats.log.filter((e) => e.outcome === 'ok').every((e) => e.sent?.max_tokens === 400 && !('max_completion_tokens' in e.sent))).toBe(true);
    expect(notes(events, /refused max_completion_tokens/)).toHaveLength(1);
    expect(result.kind === 'run' && result.summary.adaptations).toEqual(['max_completion_tokens: sent as max_tokens (the server refused it)']);
  });

  it('notices once that a server ignores max_completion_tokens, and sends max_tokens from then on', async () => {
    // Thinking (Ollama) runs past the limit it ignored; honoured, max_tokens starves it, and the re-ask has room.
    const { result, records, stats, events } = await runAgainstEmulator(
      { reasoning: { ignoreMaxCompletionTokens: true, reasoningTokens: 1_000 } },
      { rows: 6, model: 'qwen3:8b', concurrency: 1 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    const sent = sentLog(stats);
    expect(sent[0]).toEqual({ temperature: 0, max_completion_tokens: 400 });
    expect(sent.slice(1).every((s) => 'max_tokens' in s && !('max_completion_tokens' in s))).toBe(true);
    expect(notes(events, /ignored max_completion_tokens/)).toHaveLength(1);
  });
});

describe('reasoning that uses the whole budget', () => {
  it('re-asks a starved answer with a larger budget, grades it, and raises the run budget once', async () => {
    // 10,000 tokens of thinking: more than gpt-5's default room (400 + 8,192), less than twice it.
    const { result, records, stats, events } = await runAgainstEmulator(
      { reasoning: { ...OPENAI_REASONING, reasoningTokens: 10_000 } },
      { rows: 20, model: 'gpt-5', concurrency: 4 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    const limits = sentLog(stats).map((s) => s.max_completion_tokens);
    expect(limits[0]).toBe(8_592);
    expect(limits).toContain(17_184);
    // Three starved answers raise the run's budget; rows after that are not starved first.
    expect(notes(events, /ran out of tokens while reasoning/)).toHaveLength(1);
    expect(stats.requests).toBeLessThan(40);
    expect(records.every((r) => (r.usage.reasoning_tokens ?? 0) >= 10_000)).toBe(true);
  });

  it('re-asks a model verdict cannot name as reasoning when its thinking ate max_tokens (Gemini, Ollama)', async () => {
    const { result, records, stats } = await runAgainstEmulator(
      { reasoning: { reasoningTokens: 600, lengthFinishReason: 'model_length' } },
      { rows: 3, model: 'gemini-2.5-flash', concurrency: 1 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(sentLog(stats).map((s) => s.max_completion_tokens)).toEqual([400, 8_592, 400, 8_592, 400, 8_592]);
  });
});

describe('reasoning tokens and cost', () => {
  it('records reasoning_tokens per row and in the summary, and prices them once, as completion tokens', async () => {
    const { result, records, out } = await runAgainstEmulator({ reasoning: { ...OPENAI_REASONING, reasoningTokens: 100 } }, { rows: 5, model: 'gpt-5' });
    if (result.kind !== 'run') throw new Error('expected a run');
    expect(records.every((r) => r.usage.reasoning_tokens === 100 && r.usage.completion_tokens > 100)).toBe(true);
    expect(result.summary.usage.reasoning_tokens).toBe(500);
    expect(result.summary.cost_usd).toBeCloseTo(costAt(modelPrice('gpt-5')!, result.summary.usage), 10);
    const completion = records.reduce((sum, r) => sum + r.usage.completion_tokens, 0);
    expect(result.summary.usage.completion_tokens).toBe(completion);
    expect(await readFile(out, 'utf8')).toMatch(/"usage":\{"prompt_tokens":\d+,"completion_tokens":\d+,"cached_tokens":0,"reasoning_tokens":100\}/);
  });
});

describe('thinking in the answer', () => {
  it('grades the same with a <think> block holding another grade as without it', async () => {
    const plain = await runAgainstEmulator({ seed: 9 }, { rows: 12, model: 'deepseek-r1' });
    const thinking = await runAgainstEmulator({ seed: 9, reasoning: { thinkBlock: true, reasoningField: 'reasoning_content' } }, { rows: 12, model: 'deepseek-r1' });
    const scores = (records: typeof plain.records) => Object.fromEntries(records.map((r) => [r.id, [r.score, r.pass]]));
    expect(thinking.records.filter((r) => r.error !== null)).toEqual([]);
    expect(scores(thinking.records)).toEqual(scores(plain.records));
  });

  it.each(['eos', 'a_reason_no_server_documents'])('grades answers whose finish_reason is %s, without a crash', async (finish) => {
    const { result, records } = await runAgainstEmulator({ reasoning: { stopFinishReason: finish } }, { rows: 4, model: 'together-judge' });
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
  });
});

describe('reasoning_effort', () => {
  it('is sent only when set, and is part of the judge in records and manifest', async () => {
    const unset = await runAgainstEmulator({ reasoning: OPENAI_REASONING }, { rows: 2, model: 'o4-mini' });
    expect(sentLog(unset.stats).every((s) => !('reasoning_effort' in s))).toBe(true);
    expect(unset.records[0]!.judge.reasoning_effort).toBeUndefined();
    expect(await readFile(unset.out, 'utf8')).not.toMatch(/reasoning_effort/);

    const low = await runAgainstEmulator({ reasoning: OPENAI_REASONING }, { rows: 2, model: 'o4-mini', reasoningEffort: 'low' });
    expect(sentLog(low.stats)).toEqual([
      { reasoning_effort: 'low', max_completion_tokens: 400 + 4_096 },
      { reasoning_effort: 'low', max_completion_tokens: 400 + 4_096 },
    ]);
    expect(low.records.map((r) => r.judge.reasoning_effort)).toEqual(['low', 'low']);
    const manifest = await readManifest(manifestPath(low.out));
    expect(manifest?.judge).toMatchObject({ model: 'o4-mini', temperature: null, reasoning_effort: 'low', max_tokens: 400 });
  });
});

describe('the worst case a reasoning judge may cost', () => {
  it('--dry-run counts each request at its whole budget, reasoning included, and shows the request without temperature', async () => {
    const { result } = await runAgainstEmulator({}, { rows: 10, model: 'gpt-5', dryRun: true });
    if (result.kind !== 'dry-run') throw new Error('expected a dry run');
    expect(result.report.firstRequest).not.toHaveProperty('temperature');
    expect(result.report.firstRequest.max_completion_tokens).toBe(8_592);
    expect(result.report.estimatedTokens.completion).toBe(10 * 8_592);
  });

  it('--max-cost reserves the reasoning budget: a run whose first request could cost more sends nothing', async () => {
    // 8,592 tokens at $10 a million is about $0.086; 400 alone would be $0.004 and fit.
    const { result, stats, records } = await runAgainstEmulator({ reasoning: OPENAI_REASONING }, { rows: 3, model: 'gpt-5', maxCost: 0.05 });
    expect(result.kind === 'run' && result.exitCode).toBe(3);
    expect(stats.requests).toBe(0);
    expect(records).toEqual([]);
  });
});

describe('reasoning that never fits', () => {
  it('gives up a row after two larger budgets, as truncated with the reason, without a re-ask at the same budget', async () => {
    const { records, stats } = await runAgainstEmulator({ reasoning: { ...OPENAI_REASONING, reasoningTokens: 60_000 } }, { rows: 1, model: 'gpt-5' });
    expect(sentLog(stats).map((s) => s.max_completion_tokens)).toEqual([8_592, 17_184, 34_368]);
    expect(records[0]!.error).toEqual({ code: 'truncated', message: 'reasoning used 34368 of the tokens allowed, leaving no answer' });
    expect(records[0]!.usage.reasoning_tokens).toBe(8_592 + 17_184 + 34_368);
  });
});
