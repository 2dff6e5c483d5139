import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parse, type TestCase, type TestSuites } from 'junit2json';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { UsageError } from '../../src/errors.js';
import { openJunitSink } from '../../src/results/junit-sink.js';
import { openSinks } from '../../src/results/open-sinks.js';
import { recordToJsonLine } from '../../src/results/jsonl-sink.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';
import { makeErrorRecord, makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();

// Numbers are left as text: a row id such as "007" must come back as written.
async function parseJunit(file: string): Promise<TestSuites> {
  const xml = await readFile(file, 'utf8');
  const parsed = await parse(xml, {});
  if (parsed === null || parsed === undefined || !/^<\?xml[^>]*\?>\s*<testsuites[\s>]/.test(xml)) {
    throw new Error(`${file} has no <testsuites> root`);
  }
  return parsed as TestSuites;
}

function cases(report: TestSuites): TestCase[] {
  return (report.testsuite ?? []).flatMap((suite) => suite.testcase ?? []);
}

const NASTY = 'a < b && "quoted" \'single\' ]]> end\u0000\u0001\u0008\u000b\u000c\u001f \uFFFE tab\there\nnew line 🎉 ünïcödé';
// What a parser gives back: the characters XML 1.0 forbids are gone, the rest is intact.
const NASTY_CLEAN = 'a < b && "quoted" \'single\' ]]> end  tab\there\nnew line 🎉 ünïcödé';

describe('openJunitSink', () => {
  it('writes a JUnit report that a JUnit parser reads back: counts, names, failures and errors', async () => {
    const file = temp.path('results.xml');
    const sink = await openJunitSink(file);
    await sink.write(makeRecord({ id: 'q1', score: 5, pass: true, reasoning: 'Exactly right.', latency_ms: 1500 }));
    await sink.write(makeRecord({ id: 'q2', score: 2, pass: false, reasoning: 'Misses the point.', latency_ms: 250 }));
    await sink.write(makeErrorRecord('q3', 'timeout'));
    await sink.write(makeRecord({ id: 'q4', score: 3.5, pass: null, reasoning: 'Unscored pass mark.', latency_ms: 0 }));
    await sink.close();

    const report = await parseJunit(file);
    expect(report).toMatchObject({ name: 'verdict', tests: '4', failures: '1', errors: '1' });
    expect(Number(report.time)).toBeCloseTo(1.5 + 0.25 + 0.812 + 0, 3);
    expect(report.testsuite).toHaveLength(1);
    expect(report.testsuite![0]).toMatchObject({ name: 'correctness', tests: '4', failures: '1', errors: '1' });

    const [passed, failed, errored, unscored] = cases(report);
    expect(passed).toMatchObject({ name: 'q1', classname: 'verdict.correctness', time: '1.5' });
    expect(passed!.failure).toBeUndefined();
    expect(passed!.error).toBeUndefined();
    expect(passed!['system-out']).toEqual(['score 5, pass\nExactly right.']);
    expect(failed).toMatchObject({ name: 'q2', time: '0.25' });
    expect(failed!.failure).toEqual([{ message: 'score 2 (below pass)', type: 'failed_grade', inner: 'Misses the point.' }]);
    expect(errored!.error).toEqual([{ message: 'timeout on q3', type: 'timeout' }]);
    expect(errored!.failure).toBeUndefined();
    expect(unscored!.failure).toBeUndefined();
    expect(unscored!.error).toBeUndefined();
  });

  it('escapes markup and quotes and drops characters XML forbids, in names, attributes and text alike', async () => {
    const file = temp.path('nasty.xml');
    const sink = await openJunitSink(file);
    await sink.write(makeRecord({ id: `id ${NASTY}`, score: 1, pass: false, reasoning: NASTY }));
    await sink.write(makeRecord({ ...makeErrorRecord('err', 'server_error'), error: { code: 'server_error', message: NASTY } }));
    await sink.write(makeRecord({ id: 'ok', reasoning: NASTY, judge: { model: 'm', prompt: 'p<&>"', prompt_sha: 's' } }));
    await sink.close();

    const report = await parseJunit(file);
    const [failed, errored, passed] = cases(report);
    expect(failed!.name).toBe(`id ${NASTY_CLEAN}`);
    expect(failed!.failure![0]!.inner).toBe(NASTY_CLEAN);
    expect(errored!.error![0]!.message).toBe(NASTY_CLEAN);
    expect(passed!['system-out']![0]).toBe(`score 4, pass\n${NASTY_CLEAN}`);
    expect(passed!.classname).toBe('verdict.p<&>"');
    expect(report.testsuite!.map((suite) => suite.name)).toEqual(['correctness', 'p<&>"']);
  });

  it('puts the rows of each judge prompt in a testsuite of their own, each with its own counts', async () => {
    const file = temp.path('two.xml');
    const sink = await openJunitSink(file);
    const other = { model: 'gpt-4o-mini', prompt: 'faithfulness', prompt_sha: 'def' };
    await sink.write(makeRecord({ id: 'a', pass: false, score: 1 }));
    await sink.write(makeRecord({ id: 'b', judge: other }));
    await sink.write(makeErrorRecord('c', 'rate_limited'));
    await sink.write(makeRecord({ ...makeErrorRecord('d', 'refused'), judge: other }));
    await sink.close();

    const report = await parseJunit(file);
    expect(report).toMatchObject({ tests: '4', failures: '1', errors: '2' });
    expect(report.testsuite!.map(({ name, tests, failures, errors }) => ({ name, tests, failures, errors }))).toEqual([
      { name: 'correctness', tests: '2', failures: '1', errors: '1' },
      { name: 'faithfulness', tests: '2', failures: '0', errors: '1' },
    ]);
    expect(report.testsuite![1]!.testcase!.map((c) => c.name)).toEqual(['b', 'd']);
  });

  it('says a pass-fail row judged a fail failed without inventing a score', async () => {
    const file = temp.path('pf.xml');
    const sink = await openJunitSink(file);
    await sink.write(makeRecord({ id: 'x', score: null, pass: false, reasoning: 'Wrong.' }));
    await sink.close();
    expect(cases(await parseJunit(file))[0]!.failure).toEqual([{ message: 'judged fail', type: 'failed_grade', inner: 'Wrong.' }]);
  });

  it('keeps each written row in a sidecar until close, then leaves only the whole report', async () => {
    const file = temp.path('results.xml');
    const sink = await openJunitSink(file);
    await sink.write(makeRecord({ id: 'first' }));
    // Durability as far as the format allows: the row is on disk, though the report is not yet.
    expect(await readFile(`${file}.partial`, 'utf8')).toContain('<testcase name="first"');
    expect(await readdir(temp.dir())).toEqual(['results.xml.partial']);
    await sink.close();
    expect(await readdir(temp.dir())).toEqual(['results.xml']);
    expect(cases(await parseJunit(file)).map((c) => c.name)).toEqual(['first']);
  });

  it('writes a valid empty report when no row was graded', async () => {
    const file = temp.path('empty.xml');
    const sink = await openJunitSink(file);
    await sink.close();
    expect(await parseJunit(file)).toMatchObject({ name: 'verdict', tests: '0', failures: '0', errors: '0' });
  });

  it('replaces an existing file only at close, in one rename', async () => {
    const file = temp.path('results.xml');
    await writeFile(file, 'old report');
    const sink = await openJunitSink(file);
    await sink.write(makeRecord({ id: 'new' }));
    expect(await readFile(file, 'utf8')).toBe('old report');
    await sink.close();
    expect(cases(await parseJunit(file)).map((c) => c.name)).toEqual(['new']);
  });
});

describe('openSinks with a .xml results file', () => {
  const options = { force: false, rowColumns: ['input'] };

  it('writes JUnit beside JSONL, the same rows in both', async () => {
    const sink = await openSinks([temp.path('r.jsonl'), temp.path('r.xml')], options);
    await sink.write(makeRecord({ id: 'a' }));
    await sink.write(makeErrorRecord('b', 'timeout'));
    await sink.close();
    expect((await readRecords(temp.path('r.jsonl'))).map((r) => r.id)).toEqual(['a', 'b']);
    expect(cases(await parseJunit(temp.path('r.xml'))).map((c) => c.name)).toEqual(['a', 'b']);
  });

  it('refuses to overwrite an existing .xml without --force', async () => {
    await writeFile(temp.path('r.xml'), 'precious');
    await expect(openSinks([temp.path('r.xml')], options)).rejects.toThrow(/r\.xml already exists; pass --force/);
    expect(await readFile(temp.path('r.xml'), 'utf8')).toBe('precious');
  });

  it('refuses to continue a run whose only results file is JUnit, since it cannot be resumed from', async () => {
    const attempt = openSinks([temp.path('r.xml')], { ...options, append: true });
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining('-o results.jsonl -o results.xml') });
    expect(await readdir(temp.dir())).toEqual([]);
  });

  it('rebuilds the JUnit report of a continued run from the records already in the JSONL file', async () => {
    await writeFile(temp.path('r.jsonl'), recordToJsonLine(makeRecord({ id: 'earlier', score: 1, pass: false })));
    await writeFile(temp.path('r.xml'), 'a report of the earlier run, now stale');
    const sink = await openSinks([temp.path('r.xml'), temp.path('r.jsonl')], { ...options, append: true });
    await sink.write(makeRecord({ id: 'now' }));
    await sink.close();
    const report = await parseJunit(temp.path('r.xml'));
    expect(report).toMatchObject({ tests: '2', failures: '1' });
    expect(cases(report).map((c) => c.name)).toEqual(['earlier', 'now']);
    expect((await readRecords(temp.path('r.jsonl'))).map((r) => r.id)).toEqual(['earlier', 'now']);
  });
});

describe('verdict run -o results.xml (spawned)', () => {
  const emulator = useEmulator({ seed: 3 });
  let dir: string;
  beforeEach(async () => {
    emulator.setFaults([]);
    dir = await tempDir();
  });
  const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

  it('writes one testcase per row, the failed grades as failures and the error rows as errors', async () => {
    const dataset = await qaDataset(6, dir);
    emulator.setFaults([{ kind: 'server_error', match: 'Question number 2?' }]);
    const { code, stderr } = await runBin(
      ['run', '-d', dataset, '-p', 'correctness', '-o', 'results.jsonl', '-o', 'results.xml', '--max-retries', '0', '--max-error-rate', '0.5'],
      { cwd: dir, env: env() },
    );
    expect(stderr).toContain('results: results.jsonl, results.xml');
    expect(code).toBe(0);

    const records = await readRecords(path.join(dir, 'results.jsonl'));
    const report = await parseJunit(path.join(dir, 'results.xml'));
    const failedGrades = records.filter((r) => r.pass === false);
    expect(report).toMatchObject({ tests: '6', failures: String(failedGrades.length), errors: '1' });
    const byName = new Map(cases(report).map((c) => [c.name, c]));
    expect([...byName.keys()].sort()).toEqual(records.map((r) => r.id).sort());
    expect(byName.get('q2')!.error).toEqual([{ message: records.find((r) => r.id === 'q2')!.error!.message, type: 'server_error' }]);
    for (const record of failedGrades) {
      expect(byName.get(record.id)!.failure).toEqual([
        { message: `score ${record.score} (below pass)`, type: 'failed_grade', inner: record.reasoning },
      ]);
    }
    expect(await readdir(dir)).not.toContain('results.xml.partial');
  });

  it('reports every row after a --resume that grades the rows that had failed', async () => {
    const dataset = await qaDataset(5, dir);
    const args = ['run', '-d', dataset, '-p', 'correctness', '-o', 'results.jsonl', '-o', 'results.xml', '--max-retries', '0', '--max-error-rate', '1'];
    emulator.setFaults([{ kind: 'server_error', match: 'Question number 4?' }]);
    expect((await runBin(args, { cwd: dir, env: env() })).code).toBe(0);
    expect(await parseJunit(path.join(dir, 'results.xml'))).toMatchObject({ tests: '5', errors: '1' });

    emulator.setFaults([]);
    emulator.resetStats();
    expect((await runBin([...args, '--resume'], { cwd: dir, env: env() })).code).toBe(0);
    expect(emulator.stats().requests).toBe(1);
    const report = await parseJunit(path.join(dir, 'results.xml'));
    expect(report).toMatchObject({ tests: '5', errors: '0' });
    expect(cases(report).map((c) => c.name).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
  });
});
