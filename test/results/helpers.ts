import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { ResultRecord } from '../../src/results/record.js';

/** A graded record with plausible defaults; override what a test is about. */
export function makeRecord(overrides: Partial<ResultRecord> = {}): ResultRecord {
  return {
    id: 'q1',
    score: 4,
    pass: true,
    verdict: null,
    label: null,
    criteria: null,
    reasoning: 'Correct and complete.',
    samples: null,
    agreement: null,
    flipped: null,
    scoring: 'answer',
    error: null,
    judge: { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: 'abc123' },
    attempts: 1,
    latency_ms: 812,
    usage: { prompt_tokens: 321, completion_tokens: 54, cached_tokens: 0, reasoning_tokens: 0 },
    row: { input: 'What is 2+2?', output: '4' },
    ...overrides,
  };
}

/** A record for a row that ended in error. */
export function makeErrorRecord(id: string, code: NonNullable<ResultRecord['error']>['code']): ResultRecord {
  return makeRecord({ id, score: null, pass: null, reasoning: null, scoring: null, error: { code, message: `${code} on ${id}` } });
}

/** A fresh temporary directory for each test, removed afterwards; `dir()` gives its path. */
export function useTempDir(): { dir: () => string; path: (...parts: string[]) => string } {
  let current: string | undefined;
  beforeEach(async () => {
    current = await mkdtemp(join(tmpdir(), 'verdict-results-'));
  });
  afterEach(async () => {
    if (current !== undefined) await rm(current, { recursive: true, force: true });
    current = undefined;
  });
  const dir = (): string => {
    if (current === undefined) throw new Error('useTempDir: no test is running');
    return current;
  };
  return { dir, path: (...parts) => join(dir(), ...parts) };
}
