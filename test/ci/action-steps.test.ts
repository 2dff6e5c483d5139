import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { entriesIn } from '../cache/packs.js';
import { writeResults } from '../commands/helpers.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';
import { ACTION_PATH } from './action-metadata.js';
import { runComposite, type CompositeCall } from './run-composite.js';

/**
 * action.yml's `run:` steps, run with bash as a runner runs them, against the emulator. The `uses:`
 * steps (actions/cache, actions/upload-artifact) are other actions and are not run: the test checks
 * that they are exactly those two. npm and gh are stand-ins (test/fixtures/ci-stubs): no registry,
 * and a fake GitHub that keeps the pull request's comments in a file.
 */
const emulator = useEmulator({ seed: 3 });
const STUBS = fileURLToPath(new URL('../fixtures/ci-stubs', import.meta.url));
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

function call(inputs: Record<string, string>, extra: { token?: boolean; pr?: string } = {}): CompositeCall {
  return {
    with: { ...inputs, ...(extra.token ? { 'github-token': 'ghs_test_token' } : {}) },
    github: extra.pr === undefined ? {} : { 'event.pull_request.number': extra.pr },
    cwd: dir,
    runnerDir: path.join(dir, '.runner', String(Math.random()).slice(2)),
    env: {
      PATH: `${STUBS}:${process.env.PATH}`,
      HOME: dir,
      RUNNER_TEMP: path.join(dir, '.runner-temp'),
      GITHUB_RUN_ID: '42',
      GITHUB_REPOSITORY: 'acme/widgets',
      CI_STUB_LOG: path.join(dir, 'stubs.log'),
      GH_STUB_STATE: path.join(dir, 'comments.json'),
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: emulator.url,
    },
  };
}

const comments = async () => JSON.parse(await readFile(path.join(dir, 'comments.json'), 'utf8')) as { id: number; body: string }[];

/** A baseline every row beats or loses to by exactly one point: a first run's scores, shifted. */
async function shiftedBaseline(dataset: string, shift: number): Promise<string> {
  const first = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'first.jsonl'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
  expect(first.code).toBe(0);
  const records = await readRecords(path.join(dir, 'first.jsonl'));
  await mkdir(path.join(dir, 'baseline'), { recursive: true });
  return writeResults(path.join(dir, 'baseline', 'results.jsonl'), records.map((r) => ({ ...r, score: r.score! + shift })));
}

describe("the action's steps, run as a shell runs them", () => {
  it('grades, gates on the baseline, writes the step summary and keeps one pull-request comment up to date', async () => {
    const dataset = await qaDataset(6, dir);
    await mkdir(path.join(dir, '.runner-temp'));
    const baseline = await shiftedBaseline(dataset, 1);
    // Someone else's comment on the pull request is left alone.
    await writeFile(path.join(dir, 'comments.json'), JSON.stringify([{ id: 7, body: 'LGTM' }]));
    const inputs = { dataset, prompt: 'correctness', baseline, 'fail-if-worse': '0.5' };

    const first = await runComposite(call(inputs, { token: true, pr: '12' }));
    expect(first.skipped).toEqual(['actions/cache@v4', 'actions/upload-artifact@v4']);
    expect(first.steps.map((step) => [step.name, step.code])).toEqual([
      ['Install verdict', 0],
      ['Grade', 0],
      ['Comment on the pull request', 0],
      ["Exit with verdict's code", 1],
    ]);
    expect(first.outputs['exit-code']).toBe('1');
    expect(first.outputs.results).toBe('verdict/results.jsonl');
    expect(await readRecords(path.join(dir, 'verdict/results.jsonl'))).toHaveLength(6);
    expect(await readFile(path.join(dir, 'verdict/report.html'), 'utf8')).toContain('<html');

    const grade = first.steps[1]!;
    expect(grade.stderr).toContain('mean score fell against the baseline: change -1, 95% CI -1 to -1, wholly below -0.5');
    expect(grade.summary).toMatch(/^### ❌ verdict: complete · correctness · gpt-4o-mini/);
    expect(grade.summary).toContain('#### ❌ verdict: worse than the baseline · mean score');

    const posted = await comments();
    expect(posted).toHaveLength(2);
    expect(posted[0]).toEqual({ id: 7, body: 'LGTM' });
    expect(posted[1]!.body).toBe(`<!-- verdict-comment:verdict -->\n${grade.summary}`);
    expect(await readFile(path.join(dir, 'stubs.log'), 'utf8')).toContain(`npm ci --no-audit --no-fund (in ${ACTION_PATH.replace(/\/$/, '')})`);

    // A second push: the same comment is edited, not a new one added.
    await writeFile(baseline, (await readFile(baseline, 'utf8')).replace(/"score":(\d)/g, (_, s: string) => `"score":${Number(s) - 2}`));
    const second = await runComposite(call({ ...inputs, out: 'verdict/again.jsonl', report: '' }, { token: true, pr: '12' }));
    expect(second.steps.at(-1)).toMatchObject({ name: "Exit with verdict's code", code: 0 });
    const updated = await comments();
    expect(updated.map((comment) => comment.id)).toEqual([7, 1001]);
    expect(updated[1]!.body).toContain('#### ✅ verdict: not surely worse than the baseline by more than 0.5');
    expect(await readFile(path.join(dir, 'stubs.log'), 'utf8')).toMatch(/gh api --method PATCH repos\/acme\/widgets\/issues\/comments\/1001/);
  });

  it('grades without a comparison when the baseline does not exist yet, and comments nowhere without a token', async () => {
    const dataset = await qaDataset(4, dir);
    await mkdir(path.join(dir, '.runner-temp'));
    const result = await runComposite(call({ dataset, prompt: 'correctness', baseline: 'baseline/none.jsonl', args: '--limit 3' }, { pr: '12' }));
    expect(result.steps.map((step) => step.code)).toEqual([0, 0, 0, 0]);
    expect(result.steps[1]!.stdout).toContain('::warning::verdict: no baseline at baseline/none.jsonl; graded without a comparison');
    expect(await readRecords(path.join(dir, 'verdict/results.jsonl'))).toHaveLength(3);
    expect(result.steps[2]!.stdout).toContain('no github-token, so no pull-request comment');
    expect(await readFile(path.join(dir, 'stubs.log'), 'utf8')).not.toContain('gh ');
  });

  it('hands cache-dir to verdict: a second run of the same rows sends no request and fills that directory only', async () => {
    const dataset = await qaDataset(5, dir);
    await mkdir(path.join(dir, '.runner-temp'));
    const inputs = { dataset, prompt: 'correctness', 'cache-dir': '.verdict-cache', report: '' };
    expect((await runComposite(call(inputs))).outputs['exit-code']).toBe('0');
    expect(emulator.stats().requests).toBe(5);
    emulator.resetStats();
    const again = await runComposite(call({ ...inputs, out: 'verdict/again.jsonl' }));
    expect(again.outputs['exit-code']).toBe('0');
    expect(emulator.stats().requests).toBe(0);
    expect((await readRecords(path.join(dir, 'verdict/again.jsonl'))).every((record) => record.cached === true)).toBe(true);
    expect(await entriesIn(path.join(dir, '.verdict-cache'))).toHaveLength(5);
  });

  it('merges the shards of a matrix and compares the whole with the baseline', async () => {
    const dataset = await qaDataset(8, dir);
    await mkdir(path.join(dir, '.runner-temp'));
    const baseline = await shiftedBaseline(dataset, -1);
    for (const shard of ['1/2', '2/2']) {
      const out = `shards/part-${shard[0]}.jsonl`;
      const graded = await runComposite(call({ dataset, prompt: 'correctness', out, report: '', args: `--shard ${shard}` }));
      expect(graded.outputs['exit-code']).toBe('0');
    }
    const merged = await runComposite(call({ merge: 'shards/*.jsonl', baseline, 'fail-if-worse': '0' }, { token: true, pr: '5' }));
    expect(merged.steps.map((step) => step.code)).toEqual([0, 0, 0, 0]);
    expect(merged.outputs['exit-code']).toBe('0');
    expect(await readRecords(path.join(dir, 'verdict/results.jsonl'))).toHaveLength(8);
    const grade = merged.steps[1]!;
    expect(grade.summary.split('\n')[0]).toBe('### ✅ verdict: not surely worse than the baseline · mean score');
    expect(grade.summary).toContain('| 8 | 8 | 0 | 0 |');
    const [comment] = await comments();
    expect(comment!.body).toBe(`<!-- verdict-comment:verdict -->\n${grade.summary}`);
  });
});
