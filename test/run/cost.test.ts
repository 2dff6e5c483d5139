import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureIo, tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';

const emulator = useEmulator({ seed: 4 });

async function verdict(args: string[]) {
  const { io, stdout, stderr } = captureIo({ env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
  const code = await main(args, io);
  return { code, stdout: stdout(), stderr: stderr() };
}

// $1,000 per million tokens: a token costs a tenth of a cent, so a few rows make a few dollars.
const PRICE = ['--price', '1000/1000'];

describe('--max-cost', () => {
  it.each([1, 4])('stops starting rows before spent plus reserved passes the budget (concurrency %i), keeps what was graded, exits 3', async (concurrency) => {
    const dir = await tempDir();
    const dataset = await qaDataset(40, dir);
    const out = path.join(dir, 'r.jsonl');
    const summaryFile = path.join(dir, 's.json');
    const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', out, '--summary', summaryFile, '-c', String(concurrency), '--max-cost', '3', ...PRICE]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/--max-cost budget of \$3/);
    expect(run.stderr).toMatch(/to continue where this run stopped:\n {2}verdict .*--resume/);
    const records = await readRecords(out);
    expect(records.length).toBeGreaterThan(0);
    expect(records.length).toBeLessThan(40);
    expect(records.every((r) => r.error === null)).toBe(true);
    const summary = JSON.parse(await (await import('node:fs/promises')).readFile(summaryFile, 'utf8'));
    expect(summary.status).toBe('failed');
    expect(summary.cost_usd).toBeLessThanOrEqual(3);
    // Every request the emulator answered was paid for from the budget: nothing slipped past it.
    const spent = records.reduce((sum, r) => sum + (r.usage.prompt_tokens + r.usage.completion_tokens) / 1000, 0);
    expect(spent).toBeLessThanOrEqual(3);
    expect(emulator.stats().requests).toBeGreaterThanOrEqual(records.length);
  });

  it('lets a resumed run with more budget finish the rows', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(12, dir);
    const out = path.join(dir, 'r.jsonl');
    expect((await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', out, '--max-cost', '2', ...PRICE])).code).toBe(3);
    const resumed = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', out, '--resume', '--max-cost', '100', ...PRICE]);
    expect(resumed.code).toBe(0);
    expect(await readRecords(out)).toHaveLength(12);
  });

  it('exits 2 before sending when the model has no price and none is given', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(2, dir);
    const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', path.join(dir, 'r.jsonl'), '-m', 'my-local-model', '--max-cost', '1']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--max-cost needs a price for my-local-model/);
    expect(emulator.stats().requests).toBe(0);
  });

  it('rejects a malformed --price, naming the flag', async () => {
    const dir = await tempDir();
    const run = await verdict(['run', '-d', await qaDataset(1, dir), '-p', 'correctness', '--price', 'cheap']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--price takes input\/output/);
  });
});

describe('cost in --dry-run and the summary', () => {
  it('estimates the whole run at the --price given and says whether it fits --max-cost', async () => {
    const dir = await tempDir();
    const run = await verdict(['run', '-d', await qaDataset(10, dir), '-p', 'correctness', '--dry-run', '--max-cost', '1', ...PRICE]);
    expect(run.code).toBe(0);
    const tokens = /estimated tokens: (\d+) prompt \+ up to (\d+) completion/.exec(run.stdout)!;
    const expected = (Number(tokens[1]) + Number(tokens[2])) / 1000;
    expect(run.stdout).toContain(`estimated cost: $${expected.toFixed(2)}`);
    expect(run.stdout).toMatch(/--max-cost \$1: the run may stop early/);
  });

  it('prices the summary with --price', async () => {
    const dir = await tempDir();
    const out = path.join(dir, 'r.jsonl');
    const summaryFile = path.join(dir, 's.json');
    await verdict(['run', '-d', await qaDataset(3, dir), '-p', 'correctness', '-o', out, '--summary', summaryFile, ...PRICE]);
    const summary = JSON.parse(await (await import('node:fs/promises')).readFile(summaryFile, 'utf8'));
    const tokens = summary.usage.prompt_tokens + summary.usage.completion_tokens;
    expect(summary.cost_usd).toBeCloseTo(tokens / 1000, 9);
  });
});
