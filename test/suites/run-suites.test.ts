import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin, startBin } from '../helpers/spawn.js';

// Issue 16 item 5: verdict.yaml names suites; `verdict run` without --dataset runs them, each as its
// equivalent command line would, and exits with the worst suite's code.
const emulator = useEmulator({ seed: 16 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });
const verdict = (args: string[], cwd = dir) => runBin(args, { cwd, env: env() });

/** A folder holding qa.jsonl (8 rows) and renamed.jsonl (the same rows with `output` called `answer`). */
async function datasets(folder: string): Promise<void> {
  const rows = (await readFile(await qaDataset(8, folder), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const renamed = rows.map(({ output, ...rest }) => JSON.stringify({ ...rest, answer: output }));
  await writeFile(path.join(folder, 'renamed.jsonl'), `${renamed.join('\n')}\n`);
}

const TWO_SUITES = `# two suites, as docs/ci.md shows them
suites:
  qa:
    dataset: qa.jsonl
    prompt: correctness
    out: qa-results.jsonl
    limit: 6
  renamed:
    dataset: renamed.jsonl
    prompt: correctness
    fields:
      output: answer
    out: [renamed.jsonl.out.jsonl, renamed.csv]
    concurrency: 2
    max_error_rate: 0.2
    fail_under: 1
    summary: renamed-summary.json
`;

/** A results file's records without the one field that differs between two runs of the same requests. */
// Records are written in the order rows finish, which differs from run to run: compared by id.
async function recordsOf(folder: string, file: string) {
  const records = (await readRecords(path.join(folder, file))).map(({ latency_ms: _latency, wait_ms: _wait, ...record }) => record);
  return records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

async function manifestOf(folder: string, file: string) {
  const { updated_at: _time, ...manifest } = JSON.parse(await readFile(path.join(folder, `${file}.manifest.json`), 'utf8')) as Record<string, unknown>;
  return manifest;
}

describe('verdict run with verdict.yaml', () => {
  it('runs every suite in file order, each giving the records and manifest of its equivalent command line', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES);
    const suites = await verdict(['run', '--no-progress']);
    expect(suites.stderr).toContain('suite qa (1/2): verdict run --dataset qa.jsonl --prompt correctness --out qa-results.jsonl --limit 6 --no-progress\n');
    expect(suites.stderr).toContain('suite renamed (2/2): verdict run --dataset renamed.jsonl --prompt correctness --field output=answer --out renamed.jsonl.out.jsonl --out renamed.csv');
    expect(suites.stderr.indexOf('suite qa')).toBeLessThan(suites.stderr.indexOf('suite renamed'));
    expect(suites.stderr).toContain('suites: qa exit 0, renamed exit 0; exit 0, the worst');
    expect(suites.code).toBe(0);
    expect(emulator.stats().requests).toBe(6 + 8);

    const by = await tempDir();
    await datasets(by);
    emulator.resetStats();
    const one = await verdict(['run', '-d', 'qa.jsonl', '-p', 'correctness', '-o', 'qa-results.jsonl', '--limit', '6', '--no-progress'], by);
    const two = await verdict(
      ['run', '-d', 'renamed.jsonl', '-p', 'correctness', '--field', 'output=answer', '-o', 'renamed.jsonl.out.jsonl', '-o', 'renamed.csv', '-c', '2', '--max-error-rate', '0.2', '--fail-under', '1', '--summary', 'renamed-summary.json'],
      by,
    );
    expect([one.code, two.code]).toEqual([0, 0]);
    expect(emulator.stats().requests).toBe(6 + 8);

    for (const file of ['qa-results.jsonl', 'renamed.jsonl.out.jsonl']) {
      expect(await recordsOf(dir, file)).toEqual(await recordsOf(by, file));
      expect(await manifestOf(dir, file)).toEqual(await manifestOf(by, file));
    }
    expect((await readdir(dir)).filter((name) => name !== 'verdict.yaml').sort()).toEqual((await readdir(by)).sort());
    const summary = (folder: string) => readFile(path.join(folder, 'renamed-summary.json'), 'utf8').then((text) => JSON.parse(text) as Record<string, unknown>);
    expect((await summary(dir)).mean).toBe((await summary(by)).mean);
  });

  it('runs only the suites --suite names, and refuses a name the file does not have', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES);
    const only = await verdict(['run', '--suite', 'renamed', '--quiet']);
    expect(only.code).toBe(0);
    expect(emulator.stats().requests).toBe(8);
    const files = await readdir(dir);
    expect(files).toContain('renamed.jsonl.out.jsonl');
    expect(files).not.toContain('qa-results.jsonl');

    emulator.resetStats();
    const unknown = await verdict(['run', '--suite', 'renamed', '--suite', 'nope']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--suite nope: verdict\.yaml has no such suite\n {2}hint: its suites: qa, renamed/);
    expect(emulator.stats().requests).toBe(0);
  });

  it('lets a flag of the command line override the file for every suite', async () => {
    await datasets(dir);
    // Gated to fail on its own (no mean reaches 5 with these answers)…
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES.replace('    limit: 6\n', '    limit: 6\n    fail_under: 5\n'));
    const run = await verdict(['run', '--limit', '2', '--fail-under', '1', '--quiet']);
    expect((await readRecords(path.join(dir, 'qa-results.jsonl'))).length).toBe(2);
    expect((await readRecords(path.join(dir, 'renamed.jsonl.out.jsonl'))).length).toBe(2);
    expect(emulator.stats().requests).toBe(4);
    // …and passed, --fail-under 1 standing in for the file's 5.
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it('exits with the worst suite\'s code: one suite gated to fail makes it 1, and the other still runs', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES.replace('    limit: 6\n', '    limit: 6\n    fail_under: 5\n'));
    const run = await verdict(['run', '--no-progress']);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/is below --fail-under 5/);
    expect(run.stderr).toContain('suites: qa exit 1, renamed exit 0; exit 1, the worst');
    expect(emulator.stats().requests).toBe(6 + 8);
  });

  it('with --dry-run checks every suite and prints each one\'s first request, sending nothing', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES);
    const run = await verdict(['run', '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('suite renamed (2/2): verdict run --dataset renamed.jsonl');
    expect(run.stdout.match(/Reply 1\./g)?.length).toBe(2);
    expect(emulator.stats().requests).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['qa.jsonl', 'renamed.jsonl', 'verdict.yaml']);
  });

  it('reads another file with --config; without one and without --dataset, --dataset is required as before', async () => {
    await datasets(dir);
    const none = await verdict(['run']);
    expect(none.code).toBe(2);
    expect(none.stderr).toBe('verdict: --dataset is required\n');

    await writeFile(path.join(dir, 'ci.yaml'), TWO_SUITES);
    const other = await verdict(['run', '--config', 'ci.yaml', '--suite', 'qa', '--quiet']);
    expect(other.code).toBe(0);
    expect(emulator.stats().requests).toBe(6);

    const missing = await verdict(['run', '--config', 'nope.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read the suites file nope\.yaml: no such file/);
    const batch = await verdict(['run', '--config', 'ci.yaml', '--batch']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toMatch(/--batch takes one dataset: give it with --dataset/);
    const both = await verdict(['run', '-d', 'qa.jsonl', '--config', 'ci.yaml']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--config and --suite run the suites of a file; --dataset runs one dataset/);
  });
});

describe('a verdict.yaml that cannot run', () => {
  /** Writes the file, runs every suite: exit 2, the message, no request, no file created. */
  async function expectRefused(yaml: string, message: RegExp, args: string[] = []): Promise<string> {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), yaml);
    const before = (await readdir(dir)).sort();
    const run = await verdict(['run', ...args]);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(emulator.stats().requests).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(before);
    return run.stderr;
  }

  it('names the file, the line and the key of an unknown key', async () => {
    await expectRefused(TWO_SUITES.replace('    concurrency: 2', '    concurency: 2'), /^verdict: verdict\.yaml:14 \(field "suites\.renamed\.concurency"\): unknown key "concurency" in suite "renamed"\n {2}hint: a suite takes dataset, prompt,/);
  });

  it('names the file, the line and the key of a value the run flags refuse, in a later suite, before the first suite sends anything', async () => {
    await expectRefused(TWO_SUITES.replace('max_error_rate: 0.2', 'max_error_rate: 2'), /^verdict: verdict\.yaml:15 \(field "suites\.renamed\.max_error_rate"\): max_error_rate must be between 0 and 1\n/);
    await expectRefused(TWO_SUITES.replace('limit: 6', 'limit: 0'), /^verdict: verdict\.yaml:7 \(field "suites\.qa\.limit"\): limit must be at least 1\n/);
    await expectRefused(TWO_SUITES.replace('concurrency: 2', 'concurrency: two'), /^verdict: verdict\.yaml:14 \(field "suites\.renamed\.concurrency"\): concurrency takes a number, not "two"\n/);
    await expectRefused(TWO_SUITES.replace('    summary: renamed-summary.json', '    metric: median'), /verdict\.yaml:17 \(field "suites\.renamed\.metric"\): metric takes one of mean, pass_rate, win_rate/);
  });

  it('refuses a suite reading its dataset from stdin', async () => {
    await expectRefused(TWO_SUITES.replace('dataset: qa.jsonl', 'dataset: "-"'), /^verdict: verdict\.yaml:4 \(field "suites\.qa\.dataset"\): dataset "-" reads stdin, which suites cannot share/);
  });

  it('says a bad flag of the command line as the flag, as a single run does', async () => {
    await expectRefused(TWO_SUITES, /^verdict: --limit must be at least 1\n/, ['--limit', '0']);
  });

  it('refuses two suites writing one file, at the later suite\'s key', async () => {
    await expectRefused(TWO_SUITES.replace('[renamed.jsonl.out.jsonl, renamed.csv]', '[renamed.jsonl.out.jsonl, qa-results.jsonl]'), /^verdict: verdict\.yaml:13 \(field "suites\.renamed\.out"\): qa-results\.jsonl \(the results file\) is also the results file of suite "qa": two suites never write one file\n {2}hint: give each suite its own out/);
    // Both without out: both would write results.jsonl; said at the second suite.
    await expectRefused('suites:\n  a:\n    dataset: qa.jsonl\n    prompt: correctness\n  b:\n    dataset: qa.jsonl\n    prompt: correctness\n', /^verdict: verdict\.yaml:5 \(field "suites\.b\.out"\): results\.jsonl \(the results file\) is also the results file of suite "a"/);
    await expectRefused(TWO_SUITES.replace('summary: renamed-summary.json', 'summary: qa.jsonl'), /verdict\.yaml:17 \(field "suites\.renamed\.summary"\): qa\.jsonl \(the summary\) is also the dataset of suite "qa": a suite never overwrites what another reads/);
    await expectRefused(TWO_SUITES, /^verdict: --out applies to every suite: same\.jsonl \(the results file\) is also the results file of suite "qa"/, ['-o', 'same.jsonl']);
  });

  it('finds a bad row of a later suite\'s dataset before the first suite sends anything', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'broken.jsonl'), '{"id":"a","input":"q","reference":"r","answer":"o"}\n{"id":"b",\n');
    const stderr = await expectRefused(TWO_SUITES.replace('dataset: renamed.jsonl', 'dataset: broken.jsonl'), /^verdict: verdict\.yaml: suite "renamed": broken\.jsonl:2/);
    expect(stderr).not.toContain('suite qa (1/2)');
  });

  it('says a missing API key once, before any suite', async () => {
    await datasets(dir);
    await writeFile(path.join(dir, 'verdict.yaml'), TWO_SUITES);
    const run = await runBin(['run'], { cwd: dir, env: { OPENAI_BASE_URL: emulator.url } });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('verdict: OPENAI_API_KEY is not set\n  hint: set it in the environment or in a .env file in this directory\n');
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('interrupting the suites', () => {
  const slow = useEmulator({ seed: 16, latencyMs: 25, jitterMs: 10 });

  it('stops the suites not yet run, exits 130, and says how to continue the one interrupted', async () => {
    await qaDataset(150, dir);
    await writeFile(path.join(dir, 'verdict.yaml'), 'suites:\n  first:\n    dataset: qa.jsonl\n    prompt: correctness\n    out: first.jsonl\n    concurrency: 2\n  second:\n    dataset: qa.jsonl\n    prompt: correctness\n    out: second.jsonl\n');
    const { child, done } = startBin(['run', '--no-progress'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: slow.url } });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !(await readFile(path.join(dir, 'first.jsonl'), 'utf8').catch(() => '')).includes('\n')) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/to continue where this run stopped:\n {2}verdict run --no-progress --suite first --resume\n/);
    expect(run.stderr).toContain('verdict: interrupted: suites not run: second\n');
    expect(run.stderr).not.toContain('suite second (2/2)');
    expect(await readdir(dir)).not.toContain('second.jsonl');
  });
});
