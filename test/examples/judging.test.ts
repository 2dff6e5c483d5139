import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/prompt/load.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { example, statsOf } from './helpers.js';

// The prompts and pairs docs/judging.md runs; the Q&A rows are the repository's own sample.
const QA = fileURLToPath(new URL('../../datasets/qa.jsonl', import.meta.url));
const PAIRS = example('judging/pairs.jsonl');

describe('the examples of docs/judging.md', () => {
  it('classify.md answers one of its labels, scored by choices, passing only "correct"', async () => {
    const { records, result } = await runAgainstEmulator({}, { prompt: example('judging/classify.md'), dataset: QA, limit: 12 });
    const choices: Record<string, number> = { correct: 1, partial: 0.5, wrong: 0 };
    expect(records).toHaveLength(12);
    for (const record of records) {
      expect(record.error).toBeNull();
      expect(Object.keys(choices)).toContain(record.label);
      expect(record.score).toBe(choices[record.label!]);
      expect(record.pass).toBe(record.label === 'correct');
    }
    expect(result.kind === 'run' && Object.values(result.summary.labels ?? {}).reduce((a, b) => a + b, 0)).toBe(12);
  });

  it('rubric.md scores each criterion; the row score is their mean, the summary has each criterion', async () => {
    const { records, result, stats } = await runAgainstEmulator({}, { prompt: example('judging/rubric.md'), dataset: QA, limit: 5 });
    expect(stats.requests).toBe(5);
    for (const record of records) {
      const values = Object.values(record.criteria ?? {});
      expect(Object.keys(record.criteria ?? {})).toEqual(['accuracy', 'completeness', 'clarity']);
      expect(record.score).toBeCloseTo(values.reduce((a, b) => a + b, 0) / 3, 10);
      expect(record.pass).toBe(record.score! >= 4);
    }
    expect(result.kind === 'run' && Object.keys(result.summary.criteria ?? {})).toEqual(['accuracy', 'completeness', 'clarity']);
  });

  it('correctness-logprobs.md weights the score by token probabilities and asks for them', async () => {
    const prompt = await loadPrompt(example('judging/correctness-logprobs.md'));
    expect(prompt.settings.scoring).toBe('logprobs');
    const { records } = await runAgainstEmulator({}, { prompt: example('judging/correctness-logprobs.md'), dataset: QA, limit: 6 });
    expect(records.every((r) => r.scoring === 'logprobs' && r.score! >= 1 && r.score! <= 5)).toBe(true);
    expect(records.some((r) => !Number.isInteger(r.score))).toBe(true);
  });

  it('--repeat at temperature 0 gives identical samples from the emulator; sampled.md (temperature 1) does not', async () => {
    const still = await runAgainstEmulator({}, { prompt: 'correctness', dataset: QA, limit: 6, repeat: 3 });
    expect(still.stats.requests).toBe(18);
    expect(still.records.every((r) => r.samples?.length === 3 && r.agreement === 1)).toBe(true);
    expect(still.result.kind === 'run' && still.result.summary.stability).toMatchObject({ rows: 6, samples: 18, unanimous_rate: 1, score_sd: 0 });

    const sampled = await runAgainstEmulator({}, { prompt: example('judging/sampled.md'), dataset: QA, limit: 6, repeat: 3 });
    expect(sampled.records.some((r) => r.agreement! < 1)).toBe(true);
    for (const record of sampled.records) {
      const scores = record.samples!.map((s) => s.score!);
      expect(record.score).toBeCloseTo(scores.reduce((a, b) => a + b, 0) / 3, 10);
    }
  });

  it('pairs.jsonl grades with the built-in pairwise prompt and --pair first,second, and stats reads "preferred"', async () => {
    const { records, stats, out, result } = await runAgainstEmulator({}, { prompt: 'pairwise', dataset: PAIRS, pair: 'first,second' });
    expect(stats.requests).toBe(6);
    for (const record of records) {
      expect(record.samples!.map((s) => s.order)).toEqual(['AB', 'BA']);
      const [ab, ba] = record.samples!.map((s) => s.verdict);
      // Disagreeing orders are a tie; agreeing ones are the verdict.
      expect(record.flipped).toBe(ab !== ba);
      expect(record.verdict).toBe(ab === ba ? ab : 'tie');
    }
    const flips = records.filter((r) => r.flipped).length;
    expect(result.kind === 'run' && result.summary.pairwise).toMatchObject({ swapped: 3, flip_rate: flips / 3 });
    expect((await statsOf(out, 'preferred')).summary.agreement).toMatchObject({ n: 3, scale: 'pairwise' });
  });
});
