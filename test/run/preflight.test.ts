import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.js';
import { inShard } from '../../src/dataset/shard.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { preflight } from '../../src/run/preflight.js';
import { qaDataset } from '../helpers/run.js';

const idField = { name: 'id', explicit: false };

describe('preflight', () => {
  it("lists this shard's ids in dataset order", async () => {
    const dataset = await openDataset(await qaDataset(40));
    const prompt = await loadPrompt('correctness');
    const shard = { index: 2, count: 3 };
    const report = await preflight(dataset, prompt, { idField, shard });
    const expected = Array.from({ length: 40 }, (_, i) => `q${i + 1}`).filter((id) => inShard(id, shard));
    expect([...report.ids]).toEqual(expected);
    expect(report.rows).toBe(expected.length);
  });

  it('lets the ids go after one pass, so a run does not hold them while it grades', async () => {
    const dataset = await openDataset(await qaDataset(5));
    const report = await preflight(dataset, await loadPrompt('correctness'), { idField });
    expect([...report.ids]).toEqual(['q1', 'q2', 'q3', 'q4', 'q5']);
    // A second pass would have to keep the map alive for the whole run; it fails loudly instead.
    expect(() => [...report.ids]).toThrow(/already read/);
  });

  it('frees the ids at once when a run lets them go unread (a fresh run needs only their count)', async () => {
    const dataset = await openDataset(await qaDataset(100_000));
    const report = await preflight(dataset, await loadPrompt('correctness'), { idField });
    expect(report.rows).toBe(100_000);
    const before = process.memoryUsage().arrayBuffers;
    report.ids.release();
    expect(before - process.memoryUsage().arrayBuffers).toBeGreaterThan(1024 * 1024);
    expect(() => [...report.ids]).toThrow(/already read/);
  });
});
