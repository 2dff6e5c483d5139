import { describe, expect, it } from 'vitest';
import { renderSummary } from '../../src/report/render-summary.js';
import type { Summary } from '../../src/report/summary.js';

const summary: Summary = {
  status: 'complete',
  model: 'gpt-4o-mini',
  prompt: 'correctness',
  rows: 200,
  graded: 198,
  errors: { timeout: 2 },
  mean: 3.41,
  ci95: [3.22, 3.6],
  pass_rate: 0.52,
  histogram: { '1': 20, '2': 31, '3': 40, '4': 67, '5': 40 },
  usage: { prompt_tokens: 64_000, completion_tokens: 9_000, cached_tokens: 1_000 },
  cost_usd: 0.015,
  requests: 205,
  retries: 5,
  rate_limited: 3,
  wall_s: 31.2,
};

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[/;

function barLength(line: string, glyph: string): number {
  return [...line].filter((ch) => ch === glyph).length;
}

describe('renderSummary', () => {
  it('says how much of the wall time was spent waiting for rate limits, and nothing when none was', () => {
    expect(renderSummary({ ...summary, wait_s: 12.34 }, { color: false, width: 80 })).toMatch(/wall time 31\.2s, 12\.3s waiting for rate limits\n/);
    expect(renderSummary({ ...summary, wait_s: 0 }, { color: false, width: 80 })).not.toContain('waiting');
    expect(renderSummary(summary, { color: false, width: 80 })).not.toContain('waiting');
  });

  it('shows every figure of the summary in plain ASCII without colour', () => {
    const text = renderSummary(summary, { color: false, width: 80 });
    expect(text).not.toMatch(ANSI);
    expect(text).toMatch(/^[\x20-\x7e\n]*$/);
    for (const fragment of [
      'complete',
      '200 rows',
      '198 graded',
      '2 errors (timeout 2)',
      '3.41 +/- 0.19 ',
      '95% CI 3.22 to 3.60',
      '52.0%',
      '64,000 in (1,000 cached)',
      '9,000 out',
      '$0.0150',
      '205',
      '5 retries',
      '3 rate-limited',
      '31.2s',
    ]) {
      expect(text).toContain(fragment);
    }
  });

  it('draws one histogram bar per score, proportional to its count and scaled to the width', () => {
    for (const width of [40, 100]) {
      const lines = renderSummary(summary, { color: false, width }).split('\n').filter((l) => l.includes('|'));
      expect(lines).toHaveLength(5);
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(width);
      const bars = lines.map((line) => barLength(line, '#'));
      expect(Math.max(...bars)).toBe(bars[3]); // score 4 has the most rows
      expect(bars[0]).toBeLessThan(bars[3] ?? 0);
      expect(lines[3]).toMatch(/ 67$/);
    }
    const narrow = renderSummary(summary, { color: false, width: 40 }).split('\n').find((l) => l.includes(' 4|'));
    const wide = renderSummary(summary, { color: false, width: 100 }).split('\n').find((l) => l.includes(' 4|'));
    expect(barLength(wide ?? '', '#')).toBeGreaterThan(barLength(narrow ?? '', '#'));
  });

  it('uses ANSI colours when asked', () => {
    expect(renderSummary(summary, { color: true, width: 80 })).toMatch(ANSI);
  });

  it('says the cost is unknown for an unpriced model and leaves out figures a run does not have', () => {
    const text = renderSummary(
      { ...summary, model: 'llama-3', cost_usd: null, mean: null, ci95: null, pass_rate: null, histogram: {} },
      { color: false, width: 80 },
    );
    expect(text).toContain('cost unknown (no price for llama-3)');
    expect(text).not.toMatch(/^mean/m);
    expect(text).not.toMatch(/^pass rate/m);
    expect(text).not.toMatch(/^scores/m);
  });

  it('counts rows a stopped run never graded', () => {
    const text = renderSummary({ ...summary, status: 'cancelled', rows: 500 }, { color: false, width: 80 });
    expect(text).toContain('cancelled');
    expect(text).toContain('300 not graded');
  });
});
