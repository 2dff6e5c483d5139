import { describe, expect, it } from 'vitest';
import { decideExitCode, type Gates } from '../../src/stats/gates.js';
import type { Summary } from '../../src/stats/summary.js';
import type { Comparison } from '../../src/stats/comparison-schema.js';

function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    status: 'complete',
    model: 'gpt-4o-mini',
    prompt: 'correctness',
    rows: 100,
    graded: 100,
    errors: {},
    mean: 3.8,
    ci95: [3.6, 4.0],
    pass_rate: 0.7,
    histogram: { '3': 20, '4': 80 },
    usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 },
    cost_usd: 0,
    requests: 100,
    retries: 0,
    rate_limited: 0,
    wall_s: 10,
    ...overrides,
  };
}

const lenient: Gates = { maxErrorRate: 0.05 };

describe('decideExitCode', () => {
  it.each<{ name: string; s: Summary; gates: Gates; fatal?: boolean; interrupted?: boolean; code: number; reasons: RegExp[] }>([
    { name: 'a clean run with no gates', s: summary(), gates: lenient, code: 0, reasons: [] },
    {
      name: 'gates that pass, errors within the limit',
      s: summary({ graded: 96, errors: { timeout: 4 }, mean: 3.5, pass_rate: 0.5 }),
      gates: { failUnder: 3.5, minPassRate: 0.5, maxErrorRate: 0.05 },
      code: 0,
      reasons: [],
    },
    {
      name: 'a mean under --fail-under',
      s: summary({ mean: 3.2 }),
      gates: { failUnder: 3.5, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/^mean score 3\.2 is below --fail-under 3\.5$/],
    },
    {
      name: 'a mean that only rounds to the threshold',
      s: summary({ mean: 3.4999 }),
      gates: { failUnder: 3.5, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/mean score 3\.4999 is below --fail-under 3\.5/],
    },
    {
      name: 'a pass rate under --min-pass-rate',
      s: summary({ pass_rate: 0.48 }),
      gates: { minPassRate: 0.5, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/^pass rate 0\.48 is below --min-pass-rate 0\.5$/],
    },
    {
      name: 'both gates failing',
      s: summary({ mean: 2, pass_rate: 0.1 }),
      gates: { failUnder: 3, minPassRate: 0.5, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/mean score 2 is below --fail-under 3/, /pass rate 0\.1 is below --min-pass-rate 0\.5/],
    },
    {
      name: 'a --fail-under gate on a run where nothing was graded',
      s: summary({ rows: 0, graded: 0, mean: null, ci95: null, pass_rate: null, histogram: {} }),
      gates: { failUnder: 3, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/no row has a score.*--fail-under 3/],
    },
    {
      name: 'a --min-pass-rate gate on a run with no pass verdicts',
      s: summary({ pass_rate: null }),
      gates: { minPassRate: 0.5, maxErrorRate: 0.05 },
      code: 1,
      reasons: [/no row has a pass verdict.*--min-pass-rate 0\.5/],
    },
    {
      name: 'errors above --max-error-rate',
      s: summary({ graded: 94, errors: { timeout: 4, server_error: 2 } }),
      gates: lenient,
      code: 3,
      reasons: [/^6 of 100 rows ended in error \(error rate 0\.06\), above --max-error-rate 0\.05$/],
    },
    {
      name: 'errors above the limit and a failed gate: the run failure wins, both are told',
      s: summary({ graded: 50, errors: { timeout: 50 }, mean: 1 }),
      gates: { failUnder: 3, maxErrorRate: 0.05 },
      code: 3,
      reasons: [/50 of 100 rows ended in error/, /mean score 1 is below --fail-under 3/],
    },
    {
      name: 'a fatal API error',
      s: summary({ status: 'failed', graded: 10 }),
      gates: lenient,
      fatal: true,
      code: 3,
      reasons: [/API error/],
    },
    {
      name: 'an interrupt, even with failing gates and a fatal error',
      s: summary({ status: 'cancelled', mean: 1 }),
      gates: { failUnder: 3, maxErrorRate: 0.05 },
      fatal: true,
      interrupted: true,
      code: 130,
      reasons: [/interrupted.*--resume/],
    },
  ])('exits $code for $name', ({ s, gates, fatal = false, interrupted = false, code, reasons }) => {
    const decision = decideExitCode(s, gates, fatal, interrupted);
    expect(decision.code).toBe(code);
    expect(decision.reasons).toHaveLength(reasons.length);
    reasons.forEach((pattern, i) => expect(decision.reasons[i]).toMatch(pattern));
  });

  it('treats an error rate equal to --max-error-rate as within it', () => {
    expect(decideExitCode(summary({ errors: { timeout: 5 } }), lenient, false, false).code).toBe(0);
    expect(decideExitCode(summary({ errors: { timeout: 1 } }), { maxErrorRate: 0 }, false, false).code).toBe(3);
  });
});

describe('decideExitCode with --gate-on-interval', () => {
  const gates = (extra: Partial<Gates>): Gates => ({ maxErrorRate: 0.05, onInterval: true, ...extra });

  it('fails a mean above the threshold whose interval reaches below it', () => {
    const s = summary({ mean: 3.6, ci95: [3.2, 4.0] });
    expect(decideExitCode(s, { maxErrorRate: 0.05, failUnder: 3.5 }, false, false).code).toBe(0);
    const decision = decideExitCode(s, gates({ failUnder: 3.5 }), false, false);
    expect(decision.code).toBe(1);
    expect(decision.reasons[0]).toMatch(/interval of the mean score reaches down to 3\.2, below --fail-under 3\.5/);
  });

  it('passes when the whole interval clears the threshold', () => {
    expect(decideExitCode(summary({ mean: 3.9, ci95: [3.6, 4.2] }), gates({ failUnder: 3.5 }), false, false).code).toBe(0);
  });

  it('fails when there is no interval to judge', () => {
    const decision = decideExitCode(summary({ mean: 4, ci95: null }), gates({ failUnder: 3 }), false, false);
    expect(decision.code).toBe(1);
    expect(decision.reasons[0]).toMatch(/no interval/);
  });

  it('gates the pass rate on the lower bound of its Wilson interval', () => {
    const s = summary({ pass_rate: 0.8, pass_rate_ci95: [0.49, 0.94] });
    expect(decideExitCode(s, { maxErrorRate: 0.05, minPassRate: 0.7 }, false, false).code).toBe(0);
    expect(decideExitCode(s, gates({ minPassRate: 0.7 }), false, false)).toMatchObject({ code: 1, reasons: [expect.stringMatching(/pass rate reaches down to 0\.49/)] });
  });
});

describe('decideExitCode with a baseline (--fail-if-worse)', () => {
  const comparison = (interval: [number, number] | null): Comparison => ({
    a: { file: 'base.jsonl', models: ['m'], prompts: ['p'], records: 50, replaced: 0 },
    b: { file: 'head.jsonl', models: ['m'], prompts: ['p'], records: 50, replaced: 0 },
    value: 'pass',
    metric: 'pass_rate',
    n: 50,
    mean_a: 0.8,
    mean_b: 0.6,
    mean_diff: -0.2,
    mean_diff_ci95: interval,
    wins: 0,
    ties: 40,
    losses: 10,
    sign_test_p: 0.002,
    only_in_a: 0,
    only_in_b: 0,
    errored: { a: 0, b: 0 },
    no_value: 0,
    bootstrap: { resamples: 2000, seed: 1 },
    worse: [],
  });

  it('fails (exit 1) beside the other gates when the interval lies wholly below -delta', () => {
    const decision = decideExitCode(summary(), { ...lenient, failUnder: 4, baseline: { delta: 0.05, comparison: comparison([-0.3, -0.1]) } }, false, false);
    expect(decision.code).toBe(1);
    expect(decision.reasons).toEqual([
      'mean score 3.8 is below --fail-under 4',
      'pass rate fell against the baseline: change -0.2, 95% CI -0.3 to -0.1, wholly below -0.05 (--fail-if-worse 0.05)',
    ]);
  });

  it('passes when the interval reaches -delta or above', () => {
    expect(decideExitCode(summary(), { ...lenient, baseline: { delta: 0.1, comparison: comparison([-0.3, -0.1]) } }, false, false).code).toBe(0);
    expect(decideExitCode(summary(), { ...lenient, baseline: { delta: 0, comparison: comparison([-0.3, 0.01]) } }, false, false).code).toBe(0);
  });

  it('fails when there is no interval or no comparison, and a failed run still exits 3', () => {
    const none = decideExitCode(summary(), { ...lenient, baseline: { delta: 0, comparison: comparison(null) } }, false, false);
    expect(none).toMatchObject({ code: 1, reasons: [expect.stringContaining('give no interval of the change in pass rate, so --fail-if-worse 0 cannot pass')] });
    const broken = decideExitCode(summary(), { ...lenient, baseline: { delta: 0, comparison: { error: 'no records in base.jsonl' } } }, true, false);
    expect(broken.code).toBe(3);
    expect(broken.reasons[1]).toBe('cannot compare with the baseline, so --fail-if-worse 0 cannot pass: no records in base.jsonl');
  });
});
