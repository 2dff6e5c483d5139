import { describe, expect, it } from 'vitest';
import { renderSummary, terminalRenderOptions } from '../../src/report/render-summary.js';
import type { Summary } from '../../src/stats/summary.js';
import { Agreement } from '../../src/stats/agreement-schema.js';

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

  it("names only a panel's judges that have no price when its cost is unknown", () => {
    const model = 'gpt-4o-mini,llama3.1,qwen2.5@http://127.0.0.1:1/v1,qwen2.5@http://127.0.0.1:2/v1';
    const text = renderSummary({ ...summary, model, cost_usd: null }, { color: false, width: 100 });
    expect(text).toContain('cost unknown (no price for llama3.1, qwen2.5)');
    // verdict stats over files of several models joins them with ', '.
    expect(renderSummary({ ...summary, model: 'gpt-4o-mini, llama-3', cost_usd: null }, { color: false, width: 100 })).toContain('cost unknown (no price for llama-3)');
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

// eslint-disable-next-line no-control-regex
const stripAnsi = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

const rich: Summary = {
  ...summary,
  pass_rate_ci95: [0.45, 0.589],
  pairwise: { a: 40, b: 51, tie: 9, swapped: 100, flip_rate: 0.12 },
  labels: { correct: 120, partially_correct: 50, wrong: 28 },
  criteria: {
    accuracy: { n: 198, mean: 3.8, ci95: [3.6, 4.0] },
    a_very_long_criterion_name_indeed: { n: 198, mean: 2.5, ci95: [2.3, 2.7] },
  },
  stability: { rows: 198, samples: 594, agreement: 0.912, unanimous_rate: 0.8, score_sd: 0.31 },
  scoring: { answer: 190, logprobs: 8 },
};
const withAgreement: Summary = {
  ...rich,
  agreement: Agreement.parse({
    label_field: 'human', judge_field: 'score', scale: 'ordinal', n: 198, skipped: { errors: 2, no_label: 0, no_judge_value: 0 },
    accuracy: 0.71, accuracy_ci95: null, kappa: 0.55, kappa_ci95: null, kappa_weights: 'quadratic',
    spearman: 0.62, spearman_ci95: null, kendall: 0.5, kendall_ci95: null, pearson: 0.6, pearson_ci95: null,
    confusion: null, bootstrap: null, notes: [],
  }),
};

describe('renderSummary: the keys of pairwise, classify, rubric and repeated runs', () => {
  it('shows pairwise wins, ties and the flip rate', () => {
    const text = renderSummary(rich, { color: false, width: 100 });
    expect(text).toMatch(/^pairwise  A 40, B 51, tie 9, flip rate 12\.0% of 100 judged both ways$/m);
  });

  it('draws one bar per label', () => {
    const lines = renderSummary(rich, { color: false, width: 80 }).split('\n');
    const start = lines.findIndex((l) => l.startsWith('labels'));
    expect(lines[start]).toMatch(/^labels    correct +\|#+ +120$/);
    expect(lines[start + 1]).toMatch(/^ {10}partially_cor.*\|#+ +50$/);
    expect(lines[start + 2]).toMatch(/^ {10}wrong +\|#+ +28$/);
  });

  it('gives each criterion its mean and interval, names cut to fit', () => {
    const text = renderSummary(rich, { color: false, width: 100 });
    expect(text).toMatch(/^criteria  accuracy {13}3\.80 \+\/- 0\.20 {2}\(95% CI 3\.60 to 4\.00\) {2}n 198$/m);
    expect(text).toMatch(/^ {10}a_very_long_crite\.\.\. 2\.50 \+\/- 0\.20/m);
  });

  it('shows stability over repeated judgements, and how rows were scored when not all from the answer', () => {
    const text = renderSummary(rich, { color: false, width: 100 });
    expect(text).toMatch(/^stability 198 rows x 3, agreement 91\.2%, unanimous 80\.0%, score sd 0\.31$/m);
    expect(text).toMatch(/^scoring   answer 190, logprobs 8$/m);
    expect(renderSummary({ ...rich, scoring: { answer: 198 } }, { color: false, width: 100 })).not.toMatch(/^scoring/m);
  });

  it('shows the pass rate with its interval', () => {
    expect(renderSummary(rich, { color: false, width: 100 })).toMatch(/^pass rate 52\.0% {2}\(95% CI 45\.0% to 58\.9%\)$/m);
  });

  it('shows agreement with human labels when the summary has it, and no line when it does not', () => {
    expect(renderSummary(withAgreement, { color: false, width: 100 })).toMatch(
      /^agreement n 198, accuracy 71\.0%, kappa 0\.55, spearman 0\.62, kendall 0\.50, pearson 0\.60$/m,
    );
    expect(renderSummary(rich, { color: false, width: 100 })).not.toMatch(/^agreement/m);
  });

  it('turns a wide scale into one sparkline instead of a line per score', () => {
    const histogram = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [String(i), i < 50 ? i : 100 - i]));
    for (const unicode of [false, true]) {
      const lines = renderSummary({ ...summary, histogram }, { color: false, unicode, width: 80 }).split('\n');
      const scores = lines.filter((l) => l.startsWith('scores'));
      expect(scores).toHaveLength(1);
      expect(scores[0]).toMatch(/^scores    0 .+ 100 {2}peak \d+$/);
      expect(scores[0]!.length).toBeLessThan(80);
      // The busiest columns are in the middle of the range.
      const spark = scores[0]!.slice('scores    0 '.length, scores[0]!.indexOf(' 100'));
      const top = unicode ? '█' : '#';
      expect(spark.indexOf(top)).toBeGreaterThan(spark.length / 3);
      expect(spark.indexOf(top)).toBeLessThan((spark.length * 2) / 3);
    }
  });
});

describe('renderSummary on a narrow terminal', () => {
  for (const width of [30, 40, 59]) {
    it(`keeps every line within ${width} columns and still shows every figure`, () => {
      for (const color of [false, true]) {
        const text = renderSummary(withAgreement, { color, width });
        const lines = stripAnsi(text).trimEnd().split('\n');
        for (const line of lines) expect([...line].length).toBeLessThan(width);
        // A line either starts with a label or is a continuation indented under the labels.
        for (const line of lines) expect(line).toMatch(/^([a-z]|[a-z ]{10}\S)/);
        const flat = lines.map((l) => l.trim()).join(' ');
        for (const fragment of ['198 graded', 'timeout 2', 'flip rate 12.0%', 'kappa 0.55', 'est. cost $0.0150', '3 rate-limited', '31.2s']) {
          expect(flat).toContain(fragment);
        }
      }
    });
  }

  it('abbreviates the intervals', () => {
    const text = renderSummary(summary, { color: false, width: 50 });
    expect(text).toMatch(/^mean      3\.41 \+\/- 0\.19 {2}\[3\.22, 3\.60\]$/m);
  });
});

describe('terminalRenderOptions', () => {
  it('colours only a terminal, and never under NO_COLOR (unless it is empty) or TERM=dumb', () => {
    expect(terminalRenderOptions({ isTTY: true, columns: 120 }, {})).toEqual({ color: true, unicode: true, width: 100 });
    expect(terminalRenderOptions({ isTTY: true, columns: 50 }, { NO_COLOR: '1' })).toEqual({ color: false, unicode: true, width: 50 });
    expect(terminalRenderOptions({ isTTY: true, columns: 80 }, { NO_COLOR: '' }).color).toBe(true);
    expect(terminalRenderOptions({ isTTY: false, columns: 80 }, {})).toEqual({ color: false, unicode: false, width: 80 });
    expect(terminalRenderOptions({}, {})).toEqual({ color: false, unicode: false, width: 80 });
    expect(terminalRenderOptions({ isTTY: true }, { TERM: 'dumb' })).toMatchObject({ color: false, unicode: false });
  });

  it('under NO_COLOR, a summary has no ANSI codes but keeps its Unicode bars', () => {
    const text = renderSummary(rich, terminalRenderOptions({ isTTY: true, columns: 80 }, { NO_COLOR: 'yes' }));
    expect(text).not.toMatch(ANSI);
    expect(text).toContain('█');
    expect(text).toContain('±');
  });
});
