import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { collectBatches } from '../../src/batch/collect.js';
import { waitForParts } from '../../src/batch/poll.js';
import { submitBatches } from '../../src/batch/submit.js';
import { readRecords } from '../helpers/run.js';
import { batchClient, batchWorkspace, collectOptions, quickSleep, submitOptions, withBatchEmulator } from './helpers.js';

describe('a reasoning judge through the Batch API', () => {
  it('writes requests without temperature, with the reasoning budget and effort, and records the effort as part of the judge', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      const client = batchClient(emulator);
      const source = { dataset, prompt: 'correctness', model: 'gpt-5', reasoningEffort: 'low' as const };
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out, { source }), { client });
      const lines = (await readFile(`${out}.batch-1.jsonl`, 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
      for (const line of lines) {
        expect(line.body).not.toHaveProperty('temperature');
        expect(line.body).toMatchObject({ model: 'gpt-5', reasoning_effort: 'low', max_completion_tokens: 400 + 4_096 });
      }
      await waitForParts(state, statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      await collectBatches(state, statePath, collectOptions(), { client });
      const records = await readRecords(out);
      expect(records.map((r) => r.judge.reasoning_effort)).toEqual(['low', 'low', 'low']);
    });
  });

  it('refuses a --max-cost that only the answers would fit, since reasoning is paid for too', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      // At half of gpt-5's $10 a million: 3 × 400 answer tokens ≈ $0.006; with 8,192 of reasoning each ≈ $0.13.
      const options = submitOptions(emulator, dataset, out, { source: { dataset, prompt: 'correctness', model: 'gpt-5' }, maxCost: 0.05 });
      await expect(submitBatches(options, { client: batchClient(emulator) })).rejects.toThrow(/reasoning included/);
      expect(emulator.batchStats().filesUploaded).toBe(0);
    });
  });
});
