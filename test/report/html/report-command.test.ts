import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import { startEmulator } from '../../../src/emulator/index.js';
import { splitReportOutputs } from '../../../src/report/html/report-outputs.js';
import { computeStats } from '../../../src/stats/run-stats.js';
import { useEmulator } from '../../helpers/emulator.js';
import { captureIo, tempDir } from '../../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../../helpers/run.js';
import { runBin } from '../../helpers/spawn.js';
import { embeddedData, failed, mixedRecords, promptSha, record, summaryOf, writeResults } from './helpers.js';

async function verdict(args: string[], env: NodeJS.ProcessEnv = {}, interrupt?: AbortSignal) {
  const { io, stderr } = captureIo({ env, ...(interrupt ? { interrupt } : {}) });
  const code = await main(args, io);
  return { code, stderr: stderr() };
}

let sha: string;
let dir: string;
beforeAll(async () => {
  sha = await promptSha('correctness');
  dir = await tempDir();
});

describe('verdict report', () => {
  it('writes one self-contained page of a results file, with the summary of its records', async () => {
    const records = mixedRecords(40, sha);
    const file = await writeResults(path.join(dir, 'results.jsonl'), records);
    const out = path.join(dir, 'nested', 'report.html');
    const run = await verdict(['report', file, '-o', out]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^report: .*report\.html \(\d+ kB; 40 rows of results\.jsonl\)\n$/);
    const data = embeddedData(await readFile(out, 'utf8'));
    expect(data.runs[0]!.summary).toEqual(summaryOf(records));
    expect(data.comparison).toBeNull();
    // Written whole, through a temporary file that does not stay behind.
    await expect(stat(`${out}.partial`)).rejects.toThrow();
  });

  it('compares two files, one of them CSV', async () => {
    const a = await writeResults(path.join(dir, 'a.jsonl'), [record('q1', sha, { score: 5 }), record('q2', sha)]);
    const b = await writeResults(path.join(dir, 'b.csv'), [record('q1', sha, { score: 2, pass: false }), failed('q2', sha)]);
    const out = path.join(dir, 'compare.html');
    const run = await verdict(['report', a, b, '-o', out, '--quiet']);
    expect(run).toEqual({ code: 0, stderr: '' });
    const data = embeddedData(await readFile(out, 'utf8'));
    expect(data.runs.map((r) => r.name)).toEqual(['a.jsonl', 'b.csv']);
    expect(data.comparison?.pairs).toHaveLength(2);
  });

  it("with --label-field, shows each run's agreement with the human labels, as verdict stats computes it", async () => {
    const records = mixedRecords(30, sha).map((r, i) => ({ ...r, row: { ...r.row, human: r.score === null ? 3 : i % 4 === 0 ? 1 : r.score } }));
    const file = await writeResults(path.join(dir, 'labelled.jsonl'), records);
    const out = path.join(dir, 'labelled.html');
    expect((await verdict(['report', file, '-o', out, '--label-field', 'human'])).code).toBe(0);
    const data = embeddedData(await readFile(out, 'utf8'));
    const { summary } = await computeStats({ files: [file], labelField: 'human', bootstrap: { resamples: 2000, seed: 1 } });
    expect(data.runs[0]!.summary.agreement).toEqual(summary.agreement);
    const group = data.runs[0]!.groups.find((g) => g.key === 'agreement');
    expect(group?.figures.find((f) => f.key === 'accuracy')?.value).toBe(`${(summary.agreement!.accuracy! * 100).toFixed(1)}%`);
    expect(data.runs[0]!.confusion).toEqual(summary.agreement!.confusion);
  });

  it('exits 2 with one clear message on bad usage, writing nothing', async () => {
    const file = await writeResults(path.join(dir, 'one.jsonl'), [record('q1', sha)]);
    const cases: [string[], RegExp][] = [
      [['report', file, '-o', path.join(dir, 'x.jsonl')], /cannot write a report to .*x\.jsonl: the file name must end in \.html/],
      [['report', file, '-o', file.replace('.jsonl', '.html'), file, file], /one results file, or two to compare; 3 were given[\s\S]*verdict merge/],
      [['report', path.join(dir, 'missing.jsonl'), '-o', path.join(dir, 'm.html')], /missing\.jsonl does not exist/],
      [['report', path.join(dir, 'm.html'), '-o', path.join(dir, 'm.html')], /is a results file given to report on/],
    ];
    await writeFile(path.join(dir, 'not-results.jsonl'), '{"hello":1}\n');
    cases.push([['report', path.join(dir, 'not-results.jsonl'), '-o', path.join(dir, 'n.html')], /not-results\.jsonl:1: not a verdict results record/]);
    for (const [args, message] of cases) {
      const run = await verdict(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
    await expect(stat(path.join(dir, 'n.html'))).rejects.toThrow();
  });
});

describe('splitReportOutputs', () => {
  it.each([
    [undefined, { out: undefined, reports: [] }],
    [['r.jsonl', 'r.xml'], { out: ['r.jsonl', 'r.xml'], reports: [] }],
    [['r.jsonl', 'report.html'], { out: ['r.jsonl'], reports: ['report.html'] }],
    [['r.csv', 'a.HTML', 'b.htm'], { out: ['r.csv'], reports: ['a.HTML', 'b.htm'] }],
    // A report is built from records: with none among the outputs, the default results file is added.
    [['report.html'], { out: ['results.jsonl'], reports: ['report.html'] }],
    [['r.xml', 'report.html'], { out: ['r.xml', 'results.jsonl'], reports: ['report.html'] }],
  ])('%j → %j', (given, expected) => {
    expect(splitReportOutputs(given)).toEqual(expected);
  });
});

describe('verdict run -o report.html', () => {
  const emulator = useEmulator({ seed: 3 });
  const env = () => ({ OPENAI_API_KEY: TEST_KEY });

  it('writes the report at the end of the run, from its results file, with the summary it printed', async () => {
    const runDir = await tempDir();
    const dataset = await qaDataset(12, runDir);
    const out = path.join(runDir, 'out.jsonl');
    const html = path.join(runDir, 'report.html');
    const summaryFile = path.join(runDir, 'summary.json');
    const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', out, '-o', html, '--summary', summaryFile, '--base-url', emulator.url, '--no-progress'], env());
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/\nreport: .*report\.html \(\d+ kB\)\n/);
    const data = embeddedData(await readFile(html, 'utf8'));
    expect(data.runs[0]!.summary).toEqual(JSON.parse(await readFile(summaryFile, 'utf8')));
    expect(data.runs[0]!.source).toBe('run');
    expect(data.runs[0]!.figures.find((f) => f.key === 'status')?.value).toBe('complete');
    expect(data.runs[0]!.rows.map((r) => r.id).sort()).toEqual((await readRecords(out)).map((r) => r.id).sort());
    // Each row's judge input is the request that was sent.
    const sent = emulator.stats().log.map((entry) => entry.prompt);
    const user = data.texts[data.runs[0]!.rows[0]!.input!.find(([role]) => role === 'user')![1]]!;
    expect(sent.some((prompt) => prompt.includes(user))).toBe(true);
  });

  it('reports what a cancelled run graded, with its status', async () => {
    const slow = await startEmulator({ seed: 3, latencyMs: 120 });
    try {
      const runDir = await tempDir();
      const dataset = await qaDataset(40, runDir);
      const out = path.join(runDir, 'out.jsonl');
      const html = path.join(runDir, 'report.html');
      const interrupt = new AbortController();
      setTimeout(() => interrupt.abort(new Error('SIGINT')), 300);
      const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', out, '-o', html, '-c', '2', '--base-url', slow.url, '--no-progress'], env(), interrupt.signal);
      expect(run.code).toBe(130);
      const data = embeddedData(await readFile(html, 'utf8'));
      const graded = (await readRecords(out)).length;
      expect(graded).toBeGreaterThan(0);
      expect(graded).toBeLessThan(40);
      expect(data.runs[0]!.rows).toHaveLength(graded);
      expect(data.runs[0]!.summary).toMatchObject({ status: 'cancelled', rows: 40 });
    } finally {
      await slow.close();
    }
  });

  it('with only an .html out, also writes the default results.jsonl the report is built from', async () => {
    const runDir = await tempDir();
    const dataset = await qaDataset(3, runDir);
    const run = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'report.html', '--quiet'], { cwd: runDir, env: { ...env(), OPENAI_BASE_URL: emulator.url } });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(await readRecords(path.join(runDir, 'results.jsonl'))).toHaveLength(3);
    expect(embeddedData(await readFile(path.join(runDir, 'report.html'), 'utf8')).runs[0]!.rows).toHaveLength(3);
  });

  it("ranks a pairwise run's systems in its report, as verdict rank ranks its results file", async () => {
    const runDir = await tempDir();
    const dataset = path.join(runDir, 'battles.jsonl');
    const systems = ['alpha', 'bravo', 'charlie'];
    const rows = Array.from({ length: 30 }, (_, i) => {
      const [a, b] = [systems[i % 3]!, systems[(i + 1 + (Math.floor(i / 3) % 2)) % 3]!];
      return JSON.stringify({ id: `p${i}`, input: `Request ${i}?`, model_a: a, model_b: b, output_a: `${a} says ${'more '.repeat(i % 5)}${i}.`, output_b: `${b} says ${i}.` });
    });
    await writeFile(dataset, `${rows.join('\n')}\n`);
    const out = path.join(runDir, 'out.jsonl');
    const html = path.join(runDir, 'report.html');
    const run = await verdict(['run', '-d', dataset, '-p', 'pairwise', '-o', out, '-o', html, '--base-url', emulator.url, '--no-progress', '--quiet'], env());
    expect(run).toEqual({ code: 0, stderr: '' });
    const { rankSystems } = await import('../../../src/stats/rank.js');
    const expected = await rankSystems({ files: [out], systems: { a: 'model_a', b: 'model_b' }, lengthControl: false, bootstrap: { resamples: 1000, seed: 1 } });
    expect(embeddedData(await readFile(html, 'utf8')).runs[0]!.ranking).toEqual(expected);
  });

  it('writes no report for a dry run', async () => {
    const runDir = await tempDir();
    const dataset = await qaDataset(3, runDir);
    const html = path.join(runDir, 'report.html');
    const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', path.join(runDir, 'o.jsonl'), '-o', html, '--dry-run', '--base-url', emulator.url], env());
    expect(run.code).toBe(0);
    await expect(stat(html)).rejects.toThrow();
  });
});
