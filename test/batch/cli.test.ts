import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { batchStatePath, readBatchState } from '../../src/batch/state.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { tempDir } from '../helpers/io.js';
import { runBin, startBin } from '../helpers/spawn.js';
import { embeddedData } from '../report/html/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ seed: 4, batchDelayMs: 60 });
});
afterAll(async () => {
  await emulator.close();
});

const env = () => ({ OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });

describe('verdict run --batch (the built CLI)', () => {
  it('submits, waits and collects: records, a summary at the batch price and exit 0', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(8, dir);
    const before = emulator.batchStats();
    const run = await runBin(['run', '--batch', '-d', dataset, '-p', 'correctness', '--poll-interval', '10', '--summary', 'summary.json'], { cwd: dir, env: env() });
    expect(run.stderr).toMatch(/created batch 1\/1: batch_/);
    expect(run.stderr).toMatch(/half the list price/);
    expect(run.code).toBe(0);
    const records = await readRecords(path.join(dir, 'results.jsonl'));
    expect(records.map((r) => r.id).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8']);
    expect(records.every((r) => r.error === null && r.attempts === 1)).toBe(true);
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'complete', rows: 8, graded: 8 });
    expect(emulator.batchStats().filesUploaded - before.filesUploaded).toBe(1);
    expect(run.stderr).not.toContain(TEST_KEY);
  });

  it('ends as verdict run does: the -o .html report shows the summary the terminal showed (its status, the cost at the batch price)', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(4, dir);
    const run = await runBin(['run', '--batch', '-d', dataset, '-p', 'correctness', '--poll-interval', '10', '-o', 'results.jsonl', '-o', 'report.html', '--summary', 'summary.json'], { cwd: dir, env: env() });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/results: results\.jsonl \(cost at the Batch API price, half the list price\)\nreport: report\.html \(/);
    const data = embeddedData(await readFile(path.join(dir, 'report.html'), 'utf8'));
    const summary = JSON.parse(await readFile(path.join(dir, 'summary.json'), 'utf8'));
    // The run's own summary: its status is shown, and its cost is the batch price the terminal said.
    const figures = new Map(data.runs[0]!.figures.map((figure) => [figure.key, figure.value]));
    expect(figures.get('status')).toBe('complete');
    expect(summary.cost_usd).toBeGreaterThan(0);
    expect(run.stderr).toContain(`cost ${figures.get('cost')}`);
  });

  it('exits 2 on a dataset row the prompt cannot render, before any upload', async () => {
    const dir = await tempDir();
    const dataset = path.join(dir, 'bad.jsonl');
    await import('node:fs/promises').then((fs) => fs.writeFile(dataset, '{"id":"a","input":"Q?","reference":"A."}\n'));
    const before = emulator.batchStats();
    const run = await runBin(['run', '--batch', '-d', dataset, '-p', 'correctness'], { cwd: dir, env: env() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/bad\.jsonl:1.*"output"/);
    expect(emulator.batchStats()).toEqual(before);
  });

  it('on Ctrl-C during the wait exits 130 with the command to continue, and that command finishes without uploading again', async () => {
    const slow = await startEmulator({ seed: 4, batchDelayMs: 1_500 });
    try {
      const dir = await tempDir();
      const dataset = await qaDataset(6, dir);
      const args = ['run', '--batch', '-d', dataset, '-p', 'correctness', '--poll-interval', '20'];
      const slowEnv = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: slow.url };
      const { child, done } = startBin(args, { cwd: dir, env: slowEnv });
      const statePath = batchStatePath(path.join(dir, 'results.jsonl'));
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !(await readBatchState(statePath).catch(() => undefined))?.parts[0]?.batch_id) {
        await new Promise((r) => setTimeout(r, 10));
      }
      child.kill('SIGINT');
      const interrupted = await done;
      expect(interrupted.code).toBe(130);
      expect(interrupted.stderr).toMatch(/to continue \(nothing already sent is sent again\):\n {2}verdict run --batch/);
      expect(await stat(path.join(dir, 'results.jsonl')).catch(() => undefined)).toBeUndefined();

      const resumed = await runBin(args, { cwd: dir, env: slowEnv });
      expect(resumed.stderr).toMatch(/resuming the batches submitted at/);
      expect(resumed.code).toBe(0);
      expect(await readRecords(path.join(dir, 'results.jsonl'))).toHaveLength(6);
      expect(slow.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
    } finally {
      await slow.close();
    }
  });

  it('runs submit, status and collect as separate commands, collect exiting as run does', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(4, dir);
    const submitted = await runBin(['batch', 'submit', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl'], { cwd: dir, env: env() });
    expect(submitted.code).toBe(0);
    const status = await runBin(['batch', 'status', '-o', 'out.jsonl', '--json'], { cwd: dir, env: env() });
    expect(JSON.parse(status.stdout)).toMatchObject({ base_url: emulator.url, parts: [{ index: 1, requests: 4 }] });
    const collected = await runBin(['batch', 'collect', '-o', 'out.jsonl', '--wait', '--poll-interval', '10', '--fail-under', '6'], { cwd: dir, env: env() });
    expect(collected.code).toBe(1); // every score is at most 5: the gate fails, as in verdict run
    expect(collected.stderr).toMatch(/below --fail-under 6/);
    expect(await readRecords(path.join(dir, 'out.jsonl'))).toHaveLength(4);
    const again = await runBin(['batch', 'collect', '-o', 'out.jsonl'], { cwd: dir, env: env() });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/collected already/);
  });
});
