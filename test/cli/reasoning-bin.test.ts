import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureIo, tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// Models named acme-* refuse temperature other than 1, as OpenAI's reasoning models do.
const emulator = useEmulator({ seed: 5, reasoning: { reasoningModels: '^acme-' } });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

describe('verdict run against a judge that refuses temperature (spawned)', () => {
  it('grades every row and says the adaptation once on stderr, and in the summary and manifest', async () => {
    const dataset = await qaDataset(20, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-m', 'acme-judge', '-c', '4', '-o', 'out.jsonl', '--summary', 'summary.json'], {
      cwd: dir,
      env: env(),
    });
    expect(code).toBe(0);
    expect(stderr.match(/the server refused temperature 0/g)).toHaveLength(1);
    expect(stderr).toMatch(/adapted\s+temperature: not sent \(the server refused 0\)/);
    const records = await readRecords(path.join(dir, 'out.jsonl'));
    expect(records.filter((r) => r.error === null)).toHaveLength(20);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ graded: 20, errors: {}, adaptations: ['temperature: not sent (the server refused 0)'] });
    expect(summary.requests).toBeLessThanOrEqual(24);
    const manifest = JSON.parse(await readFile(path.join(dir, 'out.jsonl.manifest.json'), 'utf8'));
    expect(manifest.adaptations).toEqual(['temperature: not sent (the server refused 0)']);
  });

  it('exits 2 on a --reasoning-effort the API does not name, before sending anything', async () => {
    const dataset = await qaDataset(2, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '--reasoning-effort', 'extreme'], { cwd: dir, env: env() });
    expect(code).toBe(2);
    expect(stderr).toMatch(/--reasoning-effort takes one of none, minimal, low, medium, high, xhigh, max/);
    expect(emulator.stats().requests).toBe(0);
  });
});

describe('reasoning_effort as part of the judge', () => {
  it('refuses to resume results graded with another effort', async () => {
    const dataset = await qaDataset(3, dir);
    const out = path.join(dir, 'r.jsonl');
    const verdict = async (...args: string[]) => {
      const { io, stderr } = captureIo({ env: env() });
      const code = await main(['run', '-d', dataset, '-p', 'correctness', '-m', 'o4-mini', '-o', out, ...args], io);
      return { code, stderr: stderr() };
    };
    expect((await verdict('--reasoning-effort', 'low')).code).toBe(0);
    const resumed = await verdict('--resume', '--reasoning-effort', 'high');
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/reasoning_effort: low → high/);
  });
});

describe('verdict run --dry-run with a reasoning judge', () => {
  it('prints the request without temperature and the completion estimate with the room for reasoning', async () => {
    const dataset = await qaDataset(4, dir);
    const { io, stdout } = captureIo({ env: env() });
    expect(await main(['run', '-d', dataset, '-p', 'correctness', '-m', 'gpt-5', '--dry-run'], io)).toBe(0);
    const text = stdout();
    expect(text).not.toMatch(/"temperature"/);
    expect(text).toMatch(/"max_completion_tokens": 8592/);
    expect(text).toMatch(/estimated tokens: \d+ prompt \+ up to 34368 completion \(each request's budget holds 8192 tokens of reasoning beyond the answer's max_tokens\)/);
    expect(emulator.stats().requests).toBe(0);
  });
});
