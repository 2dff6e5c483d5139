import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { RunOptions } from '../../src/config.js';
import { runEval } from '../../src/run/run-eval.js';
import { useEmulator } from '../helpers/emulator.js';
import { captureIo, tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';

// 1200 a minute: 20 requests a second, enforced in one-second slices, with x-ratelimit-* headers.
const emulator = useEmulator({ rpm: 1_200, latencyMs: 30, seed: 16 });

describe('shards started at once on one key', () => {
  it('stay under the one limit together: at most 1% answered 429, and every row graded exactly once', async () => {
    const dir = await tempDir();
    const rows = 100;
    const dataset = await qaDataset(rows, dir);
    // As a CI matrix starts them: three runs at once, none given --rpm, each learning the limit.
    const outs = [1, 2, 3].map((k) => path.join(dir, `shard${k}.jsonl`));
    const results = await Promise.all(
      outs.map((out, i) =>
        runEval(RunOptions.parse({ dataset, prompt: 'correctness', out: [out], baseUrl: emulator.url, shard: `${i + 1}/3`, concurrency: 8 }), {
          apiKey: TEST_KEY,
          backoff: { baseMs: 5, capMs: 50 },
        }),
      ),
    );
    expect(results.map((r) => r.kind === 'run' && r.exitCode)).toEqual([0, 0, 0]);

    const stats = emulator.stats();
    const refused = (stats.outcomes.rate_limited_by_budget ?? 0) + (stats.outcomes.rate_limit ?? 0);
    expect(stats.requests).toBeGreaterThanOrEqual(rows);
    expect(refused).toBeLessThanOrEqual(Math.floor(stats.requests * 0.01));

    const ids = (await Promise.all(outs.map(readRecords))).flat().map((r) => r.id);
    expect(ids.toSorted()).toEqual(Array.from({ length: rows }, (_, i) => `q${i + 1}`).toSorted());

    const { io, stderr } = captureIo({ env: {} });
    expect(await main(['merge', ...outs, '-o', path.join(dir, 'merged.jsonl')], io)).toBe(0);
    expect(stderr()).toMatch(new RegExp(`merged ${rows} records from 3 files`));
    expect(await readRecords(path.join(dir, 'merged.jsonl'))).toHaveLength(rows);
  });
});
