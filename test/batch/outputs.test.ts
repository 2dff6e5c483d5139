import { readFile, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectBatches } from '../../src/batch/collect.js';
import { waitForParts } from '../../src/batch/poll.js';
import { submitBatches } from '../../src/batch/submit.js';
import { UsageError } from '../../src/errors.js';
import { batchClient, batchWorkspace, collectOptions, quickSleep, submitOptions, withBatchEmulator } from './helpers.js';

const exists = (file: string) => stat(file).then(() => true, () => false);

// Issue 12, defects 1 and 4 on the Batch API path.
describe('batch outputs', () => {
  it('submit refuses the dataset as a results file or a summary: nothing uploaded, the dataset untouched', async () => {
    await withBatchEmulator({ seed: 8 }, async (emulator) => {
      const { dataset, dir } = await batchWorkspace(4);
      const before = await readFile(dataset);
      const deps = { client: batchClient(emulator) };
      for (const extra of [{ outputs: [dataset], mode: 'resume' as const }, { outputs: [path.join(dir, 'r.jsonl')], summary: dataset }]) {
        const refused = await submitBatches(submitOptions(emulator, dataset, path.join(dir, 'r.jsonl'), extra), deps).catch((e: unknown) => e);
        expect(refused).toBeInstanceOf(UsageError);
        expect((refused as Error).message).toMatch(/qa\.jsonl is the dataset, so it cannot also be the (results file|summary)/);
      }
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 0, batchesCreated: 0 });
      expect(await readFile(dataset)).toEqual(before);
    });
  });

  it('collect refuses a results file locked by a running process, writing nothing, and a summary over an existing file', async () => {
    await withBatchEmulator({ seed: 8 }, async (emulator) => {
      const { dataset, out, dir } = await batchWorkspace(4);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      await waitForParts(state, statePath, client, { pollIntervalMs: 1, sleep: quickSleep });

      await writeFile(path.join(dir, 'notes.json'), '{"mine": true}\n');
      await expect(collectBatches(state, statePath, collectOptions({ summary: path.join(dir, 'notes.json') }), { client })).rejects.toThrow(/notes\.json already exists; pass --force/);

      const holder = { pid: process.pid, host: hostname(), started_at: '2026-01-01T00:00:00.000Z', command: 'verdict run', token: 'live' };
      await writeFile(`${out}.lock`, JSON.stringify(holder));
      await expect(collectBatches(state, statePath, collectOptions(), { client })).rejects.toThrow(/results\.jsonl is in use by verdict run \(pid \d+ on/);
      expect(await exists(out)).toBe(false);
    });
  });
});
