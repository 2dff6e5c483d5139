import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { useEmulator } from '../helpers/emulator.js';
import type { ResultRecord } from '../../src/results/record.js';
import { captureIo, tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';

const emulator = useEmulator({ seed: 21 });

async function verdict(args: string[], cwd: string) {
  const { io, stderr } = captureIo({ env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
  const previous = process.cwd();
  process.chdir(cwd);
  try {
    return { code: await main(args, io), stderr: stderr() };
  } finally {
    process.chdir(previous);
  }
}

const graded = (records: ResultRecord[]) =>
  records
    .map((r) => ({ id: r.id, score: r.score, pass: r.pass, reasoning: r.reasoning, row: r.row }))
    .sort((a, b) => a.id.localeCompare(b.id));

describe('--shard and verdict merge', () => {
  it('three shards graded apart and merged equal the unsharded run, records and summary', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(45, dir);
    const whole = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', 'whole.jsonl', '--summary', 'whole.json', '--quiet'], dir);
    expect(whole.code).toBe(0);

    const shardSizes: number[] = [];
    for (const k of [1, 2, 3]) {
      const run = await verdict(['run', '-d', dataset, '-p', 'correctness', '--shard', `${k}/3`, '-o', `shard${k}.jsonl`, '--quiet'], dir);
      expect(run.code).toBe(0);
      shardSizes.push((await readRecords(path.join(dir, `shard${k}.jsonl`))).length);
    }
    // Disjoint and complete: every row in exactly one shard, and no shard empty.
    expect(shardSizes.reduce((a, b) => a + b, 0)).toBe(45);
    expect(Math.min(...shardSizes)).toBeGreaterThan(0);

    const merged = await verdict(
      ['merge', 'shard1.jsonl', 'shard2.jsonl', 'shard3.jsonl', '-o', 'merged.jsonl', '-o', 'merged.csv', '--summary', 'merged.json'],
      dir,
    );
    expect(merged.code).toBe(0);
    expect(merged.stderr).toMatch(/merged 45 records from 3 files/);
    expect(graded(await readRecords(path.join(dir, 'merged.jsonl')))).toEqual(graded(await readRecords(path.join(dir, 'whole.jsonl'))));

    const wholeSummary = JSON.parse(await readFile(path.join(dir, 'whole.json'), 'utf8'));
    const mergedSummary = JSON.parse(await readFile(path.join(dir, 'merged.json'), 'utf8'));
    for (const key of ['rows', 'graded', 'errors', 'histogram', 'pass_rate', 'usage']) expect(mergedSummary[key]).toEqual(wholeSummary[key]);
    expect(mergedSummary.mean).toBeCloseTo(wholeSummary.mean, 12);
    expect(mergedSummary.ci95[0]).toBeCloseTo(wholeSummary.ci95[0], 12);
    expect((await readFile(path.join(dir, 'merged.csv'), 'utf8')).trim().split('\n')).toHaveLength(46);
  });

  it('refuses to merge files that share an id', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(4, dir);
    await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', 'a.jsonl', '--quiet'], dir);
    await writeFile(path.join(dir, 'b.jsonl'), await readFile(path.join(dir, 'a.jsonl')));
    const merged = await verdict(['merge', 'a.jsonl', 'b.jsonl', '-o', 'm.jsonl'], dir);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toMatch(/id "q\d" is in both a\.jsonl and b\.jsonl/);
  });

  it('refuses to resume a shard into results of another shard', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(6, dir);
    await verdict(['run', '-d', dataset, '-p', 'correctness', '--shard', '1/2', '-o', 'r.jsonl', '--quiet'], dir);
    const resumed = await verdict(['run', '-d', dataset, '-p', 'correctness', '--shard', '2/2', '-o', 'r.jsonl', '--resume'], dir);
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toMatch(/shard: 1\/2 → 2\/2/);
  });
});
