import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { endRun, type EndOfRunOptions, type RunEnding } from '../../src/report/end-of-run.js';
import { WorstRows } from '../../src/report/worst-rows.js';
import type { Summary } from '../../src/stats/summary.js';
import { captureIo, tempDir } from '../helpers/io.js';

function endingOf(overrides: Partial<Summary> = {}, exitCode = 0): RunEnding {
  const summary: Summary = {
    status: 'complete',
    model: 'gpt-4o-mini',
    prompt: 'correctness',
    rows: 10,
    graded: 9,
    errors: { timeout: 1 },
    mean: 3.5,
    ci95: [3.1, 3.9],
    pass_rate: 0.6,
    histogram: { '3': 4, '4': 5 },
    usage: { prompt_tokens: 1000, completion_tokens: 100, cached_tokens: 0 },
    cost_usd: 0.001,
    requests: 10,
    retries: 0,
    rate_limited: 0,
    wall_s: 1.5,
    ...overrides,
  };
  return { summary, exitCode, reasons: exitCode === 0 ? [] : ['the mean score 3.5 is below --fail-under 4'], outputs: ['results.jsonl'] };
}

function optionsOf(overrides: Partial<EndOfRunOptions> = {}): EndOfRunOptions {
  return {
    quiet: false,
    reports: { files: [], prompt: 'correctness' },
    continuation: { errors: 'to grade the rows that ended in error again:', command: (flag) => `verdict run -d q.jsonl ${flag}` },
    redact: (text) => text.split('fake-secret-key').join('[redacted]'),
    ...overrides,
  };
}

describe('the end-of-run stage', () => {
  it('prints the summary, the results files, why the exit code is not 0, then how to grade the rows in error again', async () => {
    const { io, stderr } = captureIo();
    expect(await endRun(endingOf({}, 1), optionsOf({ resultsNote: '(cost at the Batch API price, half the list price)' }), io)).toBe(1);
    const text = stderr();
    expect(text).toContain('results: results.jsonl (cost at the Batch API price, half the list price)\n');
    expect(text.endsWith('verdict: the mean score 3.5 is below --fail-under 4\nto grade the rows that ended in error again:\n  verdict run -d q.jsonl --retry-errors\n')).toBe(true);
    expect(text.indexOf('results: ')).toBeLessThan(text.indexOf('verdict: the mean score'));
  });

  it('under --quiet says only what went wrong and how to grade the rows left ungraded', async () => {
    const { io, stderr } = captureIo();
    const ending = { ...endingOf({ status: 'failed' }, 3), stop: { code: 'invalid_api_key', message: 'bad key fake-secret-key', hint: 'check OPENAI_API_KEY' } };
    const options = optionsOf({ quiet: true, continuation: { ...optionsOf().continuation, ungraded: 'to continue where this run stopped:' } });
    expect(await endRun(ending, options, io)).toBe(3);
    expect(stderr()).toBe(
      'verdict: the run stopped (invalid_api_key): bad key [redacted]\n  hint: check OPENAI_API_KEY\n' +
        'verdict: the mean score 3.5 is below --fail-under 4\n' +
        'to continue where this run stopped:\n  verdict run -d q.jsonl --resume\n',
    );
  });

  it('writes --summary as JSON, making its folder', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'out', 'summary.json');
    const { io } = captureIo();
    await endRun(endingOf(), optionsOf({ quiet: true, summaryFile: file }), io);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(endingOf().summary);
  });

  it('a --summary that cannot be written is said, the summary still printed, and a passing run exits 3', async () => {
    const dir = await tempDir();
    // A folder where the file should be: the write fails with EISDIR.
    await mkdir(path.join(dir, 'summary.json'));
    const { io, stderr } = captureIo();
    expect(await endRun(endingOf(), optionsOf({ summaryFile: path.join(dir, 'summary.json') }), io)).toBe(3);
    expect(stderr()).toMatch(/^verdict: could not write the summary to .*summary\.json: EISDIR/);
    expect(stderr()).toContain('results: results.jsonl\n');
  });

  it('appends to the GitHub step summary, and a step summary that cannot be written is only a warning', async () => {
    const dir = await tempDir();
    const stepSummary = path.join(dir, 'step.md');
    await writeFile(stepSummary, '# an earlier step\n');
    const { io } = captureIo();
    await endRun(endingOf(), optionsOf({ quiet: true, stepSummary: { path: stepSummary, worst: new WorstRows(10) } }), io);
    const markdown = await readFile(stepSummary, 'utf8');
    expect(markdown.startsWith('# an earlier step\n')).toBe(true);
    expect(markdown).toContain('correctness');

    const failing = captureIo();
    expect(await endRun(endingOf(), optionsOf({ quiet: true, stepSummary: { path: dir, worst: new WorstRows(10) } }), failing.io)).toBe(0);
    expect(failing.stderr()).toMatch(/^verdict: warning: could not append to GITHUB_STEP_SUMMARY/);
  });
});
