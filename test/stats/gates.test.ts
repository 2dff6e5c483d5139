import { describe, expect, it } from 'vitest';
import { decideExitCode, type Gates } from '../../src/stats/gates.js';
import type { Summary } from '../../src/stats/summary.js';

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
