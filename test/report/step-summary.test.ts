import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { markdownCell, renderStepSummary } from '../../src/report/step-summary.js';
import { Summary } from '../../src/stats/summary.js';
import type { ResultRecord } from '../../src/results/record.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';
import { makeErrorRecord, makeRecord } from '../results/helpers.js';

/** The cells of each table row under the heading that starts with `title` (or of the first table). */
function tableRows(markdown: string, title?: string): string[][] {
  let lines = markdown.split('\n');
  if (title !== undefined) lines = lines.slice(lines.findIndex((line) => line.startsWith(title)) + 1);
  const start = lines.findIndex((line) => line.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    // Split on pipes that are not escaped.
    rows.push(line.slice(1, -1).split(/(?<!\\)\|/).map((cell) => cell.trim()));
  }
  return rows;
}

function figures(markdown: string): Map<string, string> {
  return new Map(tableRows(markdown).map(([label, value]) => [label!, value!]));
}

const integer = (text: string | undefined) => Number(text?.replace(/,/g, ''));

function summaryOf(overrides: Partial<Summary> = {}): Summary {
  return {
    status: 'complete',
    model: 'gpt-4o-mini',
    prompt: 'correctness',
    rows: 1200,
    graded: 1197,
    errors: { timeout: 2, server_error: 1 },
    mean: 3.4123,
    ci95: [3.3, 3.52],
    pass_rate: 0.5213,
    histogram: { '1': 100, '2': 200, '3': 300, '4': 400, '5': 197 },
    usage: { prompt_tokens: 64000, completion_tokens: 9000, cached_tokens: 1200 },
    cost_usd: 0.015,
    requests: 1210,
    retries: 10,
    rate_limited: 4,
    wall_s: 75.4,
    ...overrides,
  };
}

describe('renderStepSummary', () => {
  it('shows status, prompt and model in the heading and every headline figure in a table', () => {
    const markdown = renderStepSummary(summaryOf(), []);
    expect(markdown.split('\n')[0]).toBe('### ✅ verdict: complete · correctness · gpt-4o-mini');
    expect(Object.fromEntries(figures(markdown))).toEqual({
      rows: '1,200',
      graded: '1,197',
      errors: '3 (timeout 2, server\\_error 1)',
      'mean score': '3.41 ± 0.11 (95% CI 3.30 to 3.52)',
      'pass rate': '52.1%',
      tokens: '64,000 in (1,200 cached), 9,000 out',
      'est. cost': '$0.0150',
      requests: '1,210',
      retries: '10',
      'rate-limited': '4',
      'wall time': '1m 15s',
    });
  });

  it('draws the histogram as a table with bars proportional to the counts', () => {
    const markdown = renderStepSummary(summaryOf({ histogram: { '1': 5, '3': 20, '2': 10 } }), []);
    expect(tableRows(markdown, '#### Scores')).toEqual([
      ['1', '5', '█'.repeat(5)],
      ['2', '10', '█'.repeat(10)],
      ['3', '20', '█'.repeat(20)],
    ]);
  });

  it('keeps each worst row on one table line however its reasoning is written', () => {
    const nasty = 'line one\nline | two\r\n**bold** <details>`code`</details>';
    const markdown = renderStepSummary(summaryOf(), [
      makeErrorRecord('q|9', 'timeout'),
      makeRecord({ id: 'q1', score: 1, pass: false, reasoning: nasty }),
    ]);
    const rows = tableRows(markdown, '#### Worst rows');
    expect(rows).toEqual([
      ['q\\|9', '—', 'error', 'timeout: timeout on q\\|9'],
      ['q1', '1', 'fail', 'line one line \\| two \\*\\*bold\\*\\* \\<details\\>\\`code\\`\\</details\\>'],
    ]);
  });

  it('shortens a long reasoning with an ellipsis', () => {
    const markdown = renderStepSummary(summaryOf(), [makeRecord({ reasoning: 'word '.repeat(100) })], { textLength: 40 });
    const text = tableRows(markdown, '#### Worst rows')[0]![3]!;
    expect([...text]).toHaveLength(40);
    expect(text.endsWith('…')).toBe(true);
  });

  it('says why the run fails its gates, and marks the heading failed', () => {
    const markdown = renderStepSummary(summaryOf(), [], { reasons: ['mean score 3.41 is below --fail-under 4'] });
    expect(markdown.split('\n')[0]).toMatch(/^### ❌ verdict: complete/);
    expect(markdown).toContain('\n- mean score 3.41 is below --fail-under 4\n');
  });

  it('leaves out the sections that have nothing to show', () => {
    const markdown = renderStepSummary(summaryOf({ status: 'cancelled', mean: null, ci95: null, pass_rate: null, histogram: {} }), []);
    expect(markdown.split('\n')[0]).toMatch(/^### ⚠️ verdict: cancelled/);
    expect(markdown).not.toContain('Scores');
    expect(markdown).not.toContain('Worst rows');
    expect(markdown).not.toContain('mean score');
  });

  it('escapes markdown punctuation in a cell so that it renders as the text it was', () => {
    expect(markdownCell('a|b\\c_d')).toBe('a\\|b\\\\c\\_d');
  });
});

describe('verdict run with GITHUB_STEP_SUMMARY (spawned)', () => {
  const emulator = useEmulator({ seed: 21 });
  let dir: string;
  beforeEach(async () => {
    emulator.setFaults([]);
    dir = await tempDir();
  });

  it('appends a step summary whose figures, histogram and worst rows match the run', async () => {
    const dataset = await qaDataset(14, dir);
    const stepSummary = path.join(dir, 'step-summary.md');
    await writeFile(stepSummary, '## an earlier step\n\n');
    emulator.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    const { code } = await runBin(
      ['run', '-d', dataset, '-p', 'correctness', '-o', 'results.jsonl', '--summary', 's.json', '--max-retries', '0', '--max-error-rate', '0.5'],
      { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, GITHUB_STEP_SUMMARY: stepSummary } },
    );
    expect(code).toBe(0);

    const summary = Summary.parse(JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8')));
    const records = await readRecords(path.join(dir, 'results.jsonl'));
    const written = await readFile(stepSummary, 'utf8');
    expect(written.startsWith('## an earlier step\n\n### ✅ verdict: complete · correctness · gpt-4o-mini\n')).toBe(true);
    const markdown = written.slice('## an earlier step\n\n'.length);

    const shown = figures(markdown);
    expect(integer(shown.get('rows'))).toBe(summary.rows);
    expect(integer(shown.get('graded'))).toBe(summary.graded);
    expect(shown.get('errors')).toBe('1 (server\\_error 1)');
    expect(summary.errors).toEqual({ server_error: 1 });
    const [, mean, lo, hi] = shown.get('mean score')!.match(/^([\d.-]+) ± [\d.]+ \(95% CI ([\d.-]+) to ([\d.-]+)\)$/)!;
    expect(Number(mean)).toBeCloseTo(summary.mean!, 2);
    expect(Number(lo)).toBeCloseTo(summary.ci95![0], 2);
    expect(Number(hi)).toBeCloseTo(summary.ci95![1], 2);
    expect(shown.get('pass rate')).toBe(`${(summary.pass_rate! * 100).toFixed(1)}%`);
    const tokens = shown.get('tokens')!.match(/^([\d,]+) in \(([\d,]+) cached\), ([\d,]+) out$/)!;
    expect([integer(tokens[1]), integer(tokens[2]), integer(tokens[3])]).toEqual([
      summary.usage.prompt_tokens,
      summary.usage.cached_tokens,
      summary.usage.completion_tokens,
    ]);
    expect(shown.get('est. cost')).toBe(`$${summary.cost_usd!.toFixed(4)}`);
    expect(integer(shown.get('requests'))).toBe(summary.requests);
    expect(integer(shown.get('retries'))).toBe(summary.retries);
    expect(integer(shown.get('rate-limited'))).toBe(summary.rate_limited);
    expect(shown.get('wall time')).toBe(`${summary.wall_s.toFixed(1)}s`);

    const histogram = tableRows(markdown, '#### Scores').map(([score, n]) => [score, Number(n)]);
    expect(Object.fromEntries(histogram)).toEqual(summary.histogram);

    // Worst first, computed here from the results file: the error row, then the lowest scores.
    const rank = (r: ResultRecord) => (r.error ? 0 : r.pass === false ? 1 : 2);
    const expected = [...records]
      .sort((a, b) => rank(a) - rank(b) || (a.score ?? 0) - (b.score ?? 0) || (a.id < b.id ? -1 : 1))
      .slice(0, 10);
    const worst = tableRows(markdown, '#### Worst rows');
    expect(worst.map(([id]) => id)).toEqual(expected.map((r) => r.id));
    expect(worst[0]).toEqual(['q2', '—', 'error', markdownCell(`server_error: ${expected[0]!.error!.message}`)]);
    for (const [index, record] of expected.entries()) {
      if (record.error === null) expect(worst[index]!.slice(1, 3)).toEqual([String(record.score), record.pass ? 'pass' : 'fail']);
    }
  });

  it('warns and keeps the exit code when the step summary cannot be written', async () => {
    const dataset = await qaDataset(2, dir);
    const unwritable = path.join(dir, 'a-directory');
    await mkdir(unwritable);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'results.jsonl'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, GITHUB_STEP_SUMMARY: unwritable },
    });
    expect(code).toBe(0);
    expect(stderr).toContain(`verdict: warning: could not append to GITHUB_STEP_SUMMARY (${unwritable})`);
    expect((await readRecords(path.join(dir, 'results.jsonl'))).length).toBe(2);
  });
});
