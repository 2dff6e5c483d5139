import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunOptions } from '../../src/config.js';
import { UsageError } from '../../src/errors.js';
import { runEval } from '../../src/run/run-eval.js';
import { tempDir } from '../helpers/io.js';
import { runAgainstEmulator, TEST_KEY } from '../helpers/run.js';

async function file(name: string, text: string, dir?: string): Promise<string> {
  const at = path.join(dir ?? (await tempDir()), name);
  await writeFile(at, text);
  return at;
}

const PAIRWISE = `---
name: pair
mode: pairwise
pair: { a: output_1, b: output_2 }
---
system:
Say which answer follows the instruction better.

user:
Instruction: {{ input }}
[A] {{ output_a }}
[B] {{ output_b }}
`;

/** LLMBar's shape: no id, the two answers as output_1 / output_2, the gold label 1 or 2. */
async function pairs(n: number, same = false): Promise<string> {
  const rows = Array.from({ length: n }, (_, i) => ({
    input: `Instruction ${i}`,
    output_1: `First answer ${i}`,
    output_2: same ? `First answer ${i}` : `Second answer ${i}`,
    label: 1 + (i % 2),
  }));
  return file('pairs.json', JSON.stringify(rows));
}

describe('pairwise runs', () => {
  it('judges every pair in both orders, in two requests that show the answers swapped', async () => {
    const dir = await tempDir();
    const { result, records, stats } = await runAgainstEmulator(
      {},
      { prompt: await file('pair.md', PAIRWISE, dir), dataset: await pairs(12) },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(stats.requests).toBe(24);
    const prompts = stats.log.map((entry) => entry.prompt);
    expect(prompts.filter((p) => p.includes('[A] First answer 3\n[B] Second answer 3'))).toHaveLength(1);
    expect(prompts.filter((p) => p.includes('[A] Second answer 3\n[B] First answer 3'))).toHaveLength(1);
    expect(records).toHaveLength(12);
    for (const record of records) {
      expect(record.samples?.map((s) => s.order)).toEqual(['AB', 'BA']);
      const [ab, ba] = record.samples!;
      // Orders that agree give their verdict; orders that disagree give a tie and count as a flip.
      expect(record.flipped).toBe(ab!.verdict !== ba!.verdict);
      expect(record.verdict).toBe(record.flipped ? 'tie' : ab!.verdict);
      expect(record.score).toBeNull();
    }
    const summary = result.kind === 'run' ? result.summary : undefined;
    const flips = records.filter((r) => r.flipped).length;
    expect(summary?.pairwise).toMatchObject({ swapped: 12, flip_rate: flips / 12 });
    const counts = summary!.pairwise!;
    expect(counts.a + counts.b + counts.tie).toBe(12);
  });

  it('maps the swapped order back: the same answer in both places can only tie, or flip', async () => {
    // With the two answers identical, AB and BA are the same prompt and get the same answer. A
    // judge that says "A" both times prefers a position, not an answer: in the dataset's terms
    // that is A then B, a flip.
    const dir = await tempDir();
    const { records } = await runAgainstEmulator({}, { prompt: await file('pair.md', PAIRWISE, dir), dataset: await pairs(30, true) });
    expect(records).toHaveLength(30);
    for (const record of records) {
      const [ab, ba] = record.samples!;
      const positional = ab!.verdict !== 'tie';
      expect(ba!.verdict).toBe(ab!.verdict === 'A' ? 'B' : ab!.verdict === 'B' ? 'A' : 'tie');
      expect(record.flipped).toBe(positional);
      expect(record.verdict).toBe('tie');
    }
    // The emulator's answers are spread over A, B and tie, so both cases were exercised.
    expect(records.some((r) => r.flipped)).toBe(true);
    expect(records.some((r) => !r.flipped)).toBe(true);
  });

  it('records a pair whose swapped order failed as an error, keeping the order that came back', async () => {
    const dir = await tempDir();
    const { records, result } = await runAgainstEmulator(
      // Every request showing pair 2 swapped answers in neither JSON nor the answer format, re-ask included.
      { faults: [{ kind: 'malformed', match: '[A] Second answer 2\n[B] First answer 2' }] },
      { prompt: await file('pair.md', PAIRWISE, dir), dataset: await pairs(4), maxErrorRate: 0.5 },
    );
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    const failed = records.find((r) => r.id === '3')!;
    expect(failed.error?.code).toBe('unparseable_answer');
    expect(failed.verdict).toBeNull();
    expect(failed.samples?.map((s) => s.order)).toEqual(['AB']);
    // The first ask, plus the BA ask and its one re-ask.
    expect(failed.attempts).toBe(3);
    expect(records.filter((r) => r.error === null)).toHaveLength(3);
  });

  it('grades both orders again when an errored pair is retried', async () => {
    const dir = await tempDir();
    const prompt = await file('pair.md', PAIRWISE, dir);
    const dataset = await pairs(3);
    const first = await runAgainstEmulator({ faults: [{ kind: 'server_error', match: 'First answer 1\n' }] }, { prompt, dataset, maxRetries: 0, maxErrorRate: 1 });
    expect(first.records.find((r) => r.id === '2')?.error?.code).toBe('server_error');
    const again = await runAgainstEmulator({}, { prompt, dataset, out: [first.out], retryErrors: true });
    expect(again.stats.requests).toBe(2);
    const regraded = again.records.find((r) => r.id === '2' && r.error === null);
    expect(regraded?.samples?.map((s) => s.order)).toEqual(['AB', 'BA']);
  });

  it('judges one order only with swap: false', async () => {
    const dir = await tempDir();
    const prompt = await file('pair.md', PAIRWISE.replace('mode: pairwise', 'mode: pairwise\nswap: false'), dir);
    const { records, stats, result } = await runAgainstEmulator({}, { prompt, dataset: await pairs(5) });
    expect(stats.requests).toBe(5);
    expect(records.every((r) => r.samples === null && r.flipped === null && ['A', 'B', 'tie'].includes(r.verdict ?? ''))).toBe(true);
    expect(result.kind === 'run' && result.summary.pairwise?.flip_rate).toBeNull();
  });

  it('reads [[A]] / [[B]] / [[C]] from servers without structured outputs', async () => {
    const dir = await tempDir();
    const { records, stats } = await runAgainstEmulator(
      { structuredOutputs: false },
      { prompt: await file('pair.md', PAIRWISE, dir), dataset: await pairs(8) },
    );
    expect(records.filter((r) => r.error === null)).toHaveLength(8);
    expect(stats.log.filter((e) => e.prompt.includes('[[C]]')).length).toBeGreaterThanOrEqual(16);
  });

  it('stops before sending anything when a row lacks one of the pair fields', async () => {
    const dir = await tempDir();
    const dataset = await file('bad.jsonl', '{"input":"x","output_1":"a","output_2":"b"}\n{"input":"y","output_1":"a"}\n', dir);
    const error = await runAgainstEmulator({}, { prompt: await file('pair.md', PAIRWISE, dir), dataset }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no field "output_2"/);
    expect(error).toMatchObject({ location: { row: 2, line: 2, field: 'output_2' } });
  });
});

describe('--repeat', () => {
  const WARM = `---\nname: warm\nscale: { min: 1, max: 5 }\npass: 3\ntemperature: 0.8\n---\nuser:\nGrade {{ output }} for {{ input }}\n`;

  it('sends k independent requests a row and keeps every sample with the aggregate', async () => {
    const dir = await tempDir();
    const { records, stats, result } = await runAgainstEmulator({}, { prompt: await file('warm.md', WARM, dir), rows: 20, repeat: 3 });
    expect(stats.requests).toBe(60);
    expect(records).toHaveLength(20);
    for (const record of records) {
      expect(record.samples?.map((s) => s.repeat)).toEqual([1, 2, 3]);
      const scores = record.samples!.map((s) => s.score!);
      expect(record.score).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 3, 10);
      expect(record.pass).toBe(record.score! >= 3);
      const modal = Math.max(...scores.map((s) => scores.filter((t) => t === s).length));
      expect(record.agreement).toBeCloseTo(modal / 3, 10);
    }
    // Above temperature 0 the samples differ on some rows: repeats are real requests, not copies.
    expect(records.some((r) => r.agreement! < 1)).toBe(true);
    const stability = result.kind === 'run' ? result.summary.stability : undefined;
    expect(stability).toMatchObject({ rows: 20, samples: 60 });
    expect(stability!.agreement).toBeCloseTo(records.reduce((sum, r) => sum + r.agreement!, 0) / 20, 10);
  });

  it('records a row as an error when one of its repeats fails, keeping the samples that came back', async () => {
    const dir = await tempDir();
    const { records } = await runAgainstEmulator(
      // The first request for q2 fails for good; its other two repeats are answered.
      { faults: [{ kind: 'bad_request', match: 'Question number 2?', count: 1 }] },
      { prompt: await file('warm.md', WARM, dir), rows: 3, repeat: 3, maxErrorRate: 1 },
    );
    const failed = records.find((r) => r.id === 'q2')!;
    expect(failed.error?.code).toBe('bad_request');
    expect(failed.score).toBeNull();
    expect(failed.samples).toHaveLength(2);
    expect(records.filter((r) => r.error === null).every((r) => r.samples?.length === 3)).toBe(true);
  });

  it('says that repeats at temperature 0 will mostly agree', async () => {
    const { events, stats } = await runAgainstEmulator({}, { rows: 2, repeat: 2 });
    expect(stats.requests).toBe(4);
    expect(events.some((e) => e.type === 'note' && /temperature 0/.test(e.message))).toBe(true);
  });

  it('refuses to resume results graded with another --repeat', async () => {
    const dir = await tempDir();
    const first = await runAgainstEmulator({}, { rows: 3, repeat: 2 });
    expect(first.records).toHaveLength(3);
    const again = runAgainstEmulator({}, { rows: 3, repeat: 3, out: [first.out], resume: true, dataset: path.join(first.dir, 'qa.jsonl') });
    await expect(again).rejects.toThrow(/repeat: 2 → 3/);
    void dir;
  });

  it('counts every request in the dry run', async () => {
    const dir = await tempDir();
    const result = await runEval(
      RunOptions.parse({ dataset: await pairs(4), prompt: await file('pair.md', PAIRWISE, dir), repeat: 3, dryRun: true }),
    );
    expect(result.kind === 'dry-run' && result.report).toMatchObject({ rows: 4, requests: 24 });
    const { renderDryRun } = await import('../../src/report/render-dry-run.js');
    expect(result.kind === 'dry-run' && renderDryRun(result.report)).toContain('requests: 24 (6 per row: 3 repeats × both orders of each pair)');
    const once = await runEval(RunOptions.parse({ dataset: await pairs(4), prompt: await file('pair.md', PAIRWISE, dir), dryRun: true }));
    expect(once.kind === 'dry-run' && renderDryRun(once.report)).toContain('requests: 8 (2 per row: both orders of each pair)');
  });
});

describe('classify and multi-criteria runs', () => {
  const CLASSIFY = `---\nname: cls\nmode: classify\nchoices: { correct: 1, partial: 0.5, wrong: 0 }\npass: 1\n---\nuser:\nIs {{ output }} right for {{ input }}?\n`;
  const RUBRIC = `---\nname: rubric\ncriteria: [coherence, fluency, relevance]\npass: 3\n---\nuser:\nRate {{ output }}\n`;

  it.each([true, false])('grades with labels from choices (structured outputs: %s)', async (structuredOutputs) => {
    const dir = await tempDir();
    const { records, result } = await runAgainstEmulator({ structuredOutputs }, { prompt: await file('c.md', CLASSIFY, dir), rows: 15 });
    expect(records.filter((r) => r.error === null)).toHaveLength(15);
    const choices: Record<string, number> = { correct: 1, partial: 0.5, wrong: 0 };
    for (const record of records) {
      expect(Object.keys(choices)).toContain(record.label);
      expect(record.score).toBe(choices[record.label!]);
      expect(record.pass).toBe(record.label === 'correct');
    }
    const labels = result.kind === 'run' ? result.summary.labels : undefined;
    expect(Object.values(labels ?? {}).reduce((a, b) => a + b, 0)).toBe(15);
  });

  it.each([true, false])('grades every criterion in one request (structured outputs: %s)', async (structuredOutputs) => {
    const dir = await tempDir();
    const { records, stats, result } = await runAgainstEmulator({ structuredOutputs }, { prompt: await file('r.md', RUBRIC, dir), rows: 10 });
    expect(stats.outcomes.ok).toBe(10);
    for (const record of records) {
      expect(Object.keys(record.criteria ?? {})).toEqual(['coherence', 'fluency', 'relevance']);
      const values = Object.values(record.criteria!);
      expect(record.score).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 3, 10);
    }
    const criteria = result.kind === 'run' ? result.summary.criteria : undefined;
    expect(criteria?.fluency?.n).toBe(10);
    expect(criteria?.fluency?.mean).toBeCloseTo(records.reduce((sum, r) => sum + r.criteria!.fluency!, 0) / 10, 10);
  });
});

describe('scoring: logprobs', () => {
  const GEVAL = `---\nname: geval\nscale: { min: 1, max: 5 }\nscoring: logprobs\n---\nuser:\nRate {{ output }}\n`;

  it('weights each score by the probabilities of the scale tokens, and says so in the record', async () => {
    const dir = await tempDir();
    const { records, result } = await runAgainstEmulator({}, { prompt: await file('g.md', GEVAL, dir), rows: 12 });
    expect(records.filter((r) => r.error === null)).toHaveLength(12);
    for (const record of records) {
      expect(record.scoring).toBe('logprobs');
      expect(record.score).toBeGreaterThanOrEqual(1);
      expect(record.score).toBeLessThanOrEqual(5);
    }
    // Weighted means fall between the integers.
    expect(records.some((r) => !Number.isInteger(r.score))).toBe(true);
    expect(result.kind === 'run' && result.summary.scoring).toEqual({ logprobs: 12 });
  });

  it('refuses a reasoning model before sending anything', async () => {
    const dir = await tempDir();
    const error = await runAgainstEmulator({}, { prompt: await file('g.md', GEVAL, dir), rows: 3, model: 'o3-mini' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(/o3-mini is a reasoning model, which returns no token logprobs/);
  });

  it('stops the run, not row by row, when the server answers without logprobs', async () => {
    const dir = await tempDir();
    const { result, records, stats } = await runAgainstEmulator({ logprobs: false }, { prompt: await file('g.md', GEVAL, dir), rows: 40, concurrency: 4 });
    expect(result.kind === 'run' && result.exitCode).toBe(3);
    expect(result.kind === 'run' && result.stop?.code).toBe('logprobs_unavailable');
    // Only what was already in flight was sent; no row was recorded with an unweighted score.
    expect(stats.requests).toBeLessThanOrEqual(4);
    expect(records.every((r) => r.scoring !== 'answer')).toBe(true);
    // The summary says why, in a code a script can test, and counts the tokens those answers cost.
    const summary = result.kind === 'run' ? result.summary : undefined;
    expect(summary?.stop?.code).toBe('logprobs_unavailable');
    expect(summary?.usage.prompt_tokens).toBeGreaterThan(0);
    expect(summary?.usage.completion_tokens).toBeGreaterThan(0);
  });

  it('names logprobs beside a 403 from the server', async () => {
    const dir = await tempDir();
    const { result } = await runAgainstEmulator({ faults: [{ kind: 'forbidden' }] }, { prompt: await file('g.md', GEVAL, dir), rows: 3 });
    expect(result.kind === 'run' && result.exitCode).toBe(3);
    expect(result.kind === 'run' && result.stop?.hint).toMatch(/logprobs/);
  });

  it('asks the emulator-backed server for logprobs only when the prompt scores by them', async () => {
    const dir = await tempDir();
    const plain = await runAgainstEmulator({ faults: [{ kind: 'forbidden' }] }, { prompt: await file('p.md', GEVAL.replace('scoring: logprobs\n', ''), dir), rows: 2 });
    // The fault answers every request with 403 whatever it asked; the hint only names logprobs when they were asked for.
    expect(plain.result.kind === 'run' && plain.result.stop?.hint).not.toMatch(/logprobs/);
  });
});

describe('dry run of a logprob judge', () => {
  it('shows logprobs in the first request', async () => {
    const dir = await tempDir();
    const result = await runEval(
      RunOptions.parse({
        dataset: await file('d.jsonl', '{"id":"a","output":"x"}\n', dir),
        prompt: await file('g.md', '---\nscoring: logprobs\n---\nuser:\n{{ output }}\n', dir),
        dryRun: true,
      }),
      { apiKey: TEST_KEY },
    );
    expect(result.kind === 'dry-run' && result.report.firstRequest).toMatchObject({ logprobs: true, top_logprobs: 20 });
  });
});
