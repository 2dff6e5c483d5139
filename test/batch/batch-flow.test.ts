import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { BatchInterruptedError } from '../../src/batch/batch-errors.js';
import { collectBatches } from '../../src/batch/collect.js';
import { waitForParts } from '../../src/batch/poll.js';
import { runBatchEval } from '../../src/batch/run-batch.js';
import { batchStatePath, readBatchState } from '../../src/batch/state.js';
import { submitBatches } from '../../src/batch/submit.js';
import { main } from '../../src/cli.js';
import { UsageError } from '../../src/errors.js';
import { estimateCostUsd } from '../../src/pricing/prices.js';
import { captureIo } from '../helpers/io.js';
import { readRecords, runAgainstEmulator, TEST_KEY } from '../helpers/run.js';
import { batchClient, batchWorkspace, collectOptions, quickSleep, submitOptions, withBatchEmulator } from './helpers.js';

const exists = (file: string) => stat(file).then(() => true, () => false);

describe('verdict batch submit, status and collect against the emulator', () => {
  it('grades every row with the same score, pass and reasoning as a synchronous run with the same seed', async () => {
    const sync = await runAgainstEmulator({ seed: 3 }, { rows: 12 });
    await withBatchEmulator({ seed: 3, batchDelayMs: 150 }, async (emulator) => {
      const { dataset, out, dir } = await batchWorkspace(12);
      const env = { OPENAI_API_KEY: TEST_KEY };
      const cli = async (...args: string[]) => {
        const io = captureIo({ env });
        const code = await main(args, io.io);
        return { code, stdout: io.stdout(), stderr: io.stderr() };
      };

      const submitted = await cli('batch', 'submit', '-d', dataset, '-p', 'correctness', '-o', out, '--base-url', emulator.url);
      expect(submitted.code).toBe(0);
      expect(submitted.stderr).toMatch(/submitted 12 requests in 1 batch/);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
      expect(await exists(batchStatePath(out))).toBe(true);

      // Before the batch is done, status says so and collect refuses (exit 2), writing nothing.
      const early = await cli('batch', 'status', '-o', out);
      expect(early.code).toBe(0);
      expect(early.stdout).toMatch(/batch 1\/1 {2}batch_\w+ {2}(validating|in_progress|finalizing)/);
      expect(early.stdout).toMatch(/not finished yet/);
      expect((await cli('batch', 'collect', '-o', out)).code).toBe(2);
      expect(await exists(out)).toBe(false);

      await new Promise((resolve) => setTimeout(resolve, 200));
      const late = await cli('batch', 'status', '-o', out);
      expect(late.stdout).toMatch(/completed {2}12\/12 requests done, 0 failed/);

      const summaryFile = path.join(dir, 'summary.json');
      const collected = await cli('batch', 'collect', '-o', out, '--summary', summaryFile);
      expect(collected.code).toBe(0);
      const records = await readRecords(out);
      expect(records).toHaveLength(12);
      const bySync = new Map(sync.records.map((r) => [r.id, r]));
      for (const record of records) {
        const twin = bySync.get(record.id)!;
        expect({ score: record.score, pass: record.pass, reasoning: record.reasoning, error: record.error }).toEqual({
          score: twin.score,
          pass: twin.pass,
          reasoning: twin.reasoning,
          error: null,
        });
        expect(record).toMatchObject({ attempts: 1, latency_ms: 0, judge: twin.judge, row: twin.row });
        expect(record.usage).toEqual(twin.usage);
      }
      const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
      expect(summary).toMatchObject({ status: 'complete', rows: 12, graded: 12, requests: 12, retries: 0 });
      // The batch path leaves a manifest, so a later --resume or --retry-errors accepts the file.
      expect(await exists(`${out}.manifest.json`)).toBe(true);
      expect((await readBatchState(batchStatePath(out)))!.collected_at).not.toBeNull();
      expect(await exists(`${out}.batch-1.jsonl`)).toBe(false);
    });
  });

  it('prices the summary at half the list price', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(5);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      await waitForParts(state, statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      const { summary } = await collectBatches(state, statePath, collectOptions(), { client });
      const listPrice = estimateCostUsd('gpt-4o-mini', summary.usage)!;
      expect(listPrice).toBeGreaterThan(0);
      expect(summary.cost_usd).toBeCloseTo(listPrice / 2, 12);
    });
  });

  it('turns failed requests into error records with their codes, grades the rest, and never re-asks', async () => {
    const faults = [
      { kind: 'server_error' as const, match: 'Question number 2?' },
      { kind: 'insufficient_quota' as const, match: 'Question number 4?' },
      { kind: 'malformed' as const, match: 'Question number 5?' },
      { kind: 'unauthorized' as const, match: 'Question number 7?' },
    ];
    await withBatchEmulator({ faults }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(10);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      await waitForParts(state, statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      // The three HTTP failures are failed requests; the malformed answer is a completed one that does not parse.
      expect(state.parts[0]!.request_counts).toEqual({ total: 10, completed: 7, failed: 3 });
      const result = await collectBatches(state, statePath, collectOptions({ redact: (text) => text.split(TEST_KEY).join('[redacted]') }), { client });
      const records = new Map((await readRecords(out)).map((r) => [r.id, r]));
      expect(records.size).toBe(10);
      expect(records.get('q2')).toMatchObject({ score: null, pass: null, error: { code: 'server_error' }, attempts: 1 });
      expect(records.get('q4')).toMatchObject({ error: { code: 'insufficient_quota' } });
      // A batch cannot re-ask: an answer that does not parse is recorded, for --retry-errors to grade again.
      expect(records.get('q5')).toMatchObject({ error: { code: 'unparseable_answer' }, attempts: 1 });
      expect(records.get('q7')).toMatchObject({ error: { code: 'auth_error' } });
      expect(records.get('q7')!.error!.message).not.toContain(TEST_KEY);
      for (const id of ['q1', 'q3', 'q6', 'q8', 'q9', 'q10']) expect(records.get(id)!.error).toBeNull();
      expect(emulator.batchStats().linesAnswered).toBe(10);
      expect(result.summary.errors).toEqual({ auth_error: 1, insufficient_quota: 1, server_error: 1, unparseable_answer: 1 });
      expect(result.summary.graded).toBe(6);
      expect(result.exitCode).toBe(3); // 4 of 10 in error, above --max-error-rate 0.05
    });
  });

  it('splits a run into several batches within the per-file request and byte limits, and collects them all', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(10);
      const client = batchClient(emulator);
      const byCount = await submitBatches(submitOptions(emulator, dataset, out, { limits: { maxRequests: 4, maxBytes: 1e9 } }), { client });
      expect(byCount.state.parts.map((p) => p.requests)).toEqual([4, 4, 2]);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 3, batchesCreated: 3 });
      await waitForParts(byCount.state, byCount.statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      // Answers are held for at most four rows at a time: one pass over the dataset per batch.
      const result = await collectBatches(byCount.state, byCount.statePath, collectOptions({ maxAnswersInMemory: 4 }), { client });
      expect(result.summary).toMatchObject({ graded: 10, requests: 10 });
      expect((await readRecords(out)).map((r) => r.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `q${i + 1}`).sort());

      for (const part of byCount.state.parts) expect(await exists(part.request_file)).toBe(false); // removed once collected

      const other = await batchWorkspace(10);
      const maxBytes = 3_000;
      const bySize = await submitBatches(submitOptions(emulator, other.dataset, other.out, { limits: { maxRequests: 1000, maxBytes } }), { client });
      expect(bySize.state.parts.length).toBeGreaterThan(1);
      expect(bySize.state.parts.reduce((sum, p) => sum + p.requests, 0)).toBe(10);
      for (const part of bySize.state.parts) {
        expect(part.bytes).toBeLessThanOrEqual(maxBytes);
        expect((await stat(part.request_file)).size).toBe(part.bytes);
      }
    });
  });

  it('resumes an interrupted wait from the state file without uploading or creating anything again', async () => {
    await withBatchEmulator({ batchDelayMs: 300 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(10);
      const client = batchClient(emulator);
      const options = { submit: submitOptions(emulator, dataset, out), collect: collectOptions(), pollIntervalMs: 10 };
      const interrupt = new AbortController();
      const first = runBatchEval(options, {
        client,
        signal: interrupt.signal,
        onEvent: (event) => {
          if (event.type === 'poll') interrupt.abort(new Error('SIGINT'));
        },
      });
      await expect(first).rejects.toBeInstanceOf(BatchInterruptedError);
      const left = await readBatchState(batchStatePath(out));
      expect(left!.parts[0]!.batch_id).toMatch(/^batch_/);
      expect(left!.parts[0]!.status).not.toBe('completed');
      expect(await exists(out)).toBe(false);

      const notes: string[] = [];
      const second = await runBatchEval(options, {
        client,
        onEvent: (event) => {
          if (event.type === 'note') notes.push(event.message);
        },
      });
      expect(second.resumed).toBe(true);
      expect(notes.join('\n')).toMatch(/nothing is uploaded again/);
      expect(second.exitCode).toBe(0);
      expect(await readRecords(out)).toHaveLength(10);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
    });
  });

  it('sends nothing new when submit runs again before the batches are collected', async () => {
    await withBatchEmulator({ batchDelayMs: 10_000 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      const client = batchClient(emulator);
      const first = await submitBatches(submitOptions(emulator, dataset, out), { client });
      const again = await submitBatches(submitOptions(emulator, dataset, out), { client });
      expect(again.resumed).toBe(true);
      expect(again.state.parts[0]!.batch_id).toBe(first.state.parts[0]!.batch_id);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
    });
  });

  it('finds the batch an interrupted submit created but did not record, instead of creating a second one', async () => {
    await withBatchEmulator({ batchDelayMs: 10_000 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      const created = state.parts[0]!.batch_id;
      // As if the process died between creating the batch and saving its id.
      await writeFile(statePath, JSON.stringify({ ...state, parts: [{ ...state.parts[0]!, batch_id: null, status: null }] }));
      const again = await submitBatches(submitOptions(emulator, dataset, out), { client });
      expect(again.state.parts[0]!.batch_id).toBe(created);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
    });
  });

  it('refuses to wait for a batch an interrupted submit never created, rather than waiting forever', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(2);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      const unsent = { ...state, parts: [{ ...state.parts[0]!, batch_id: null, status: null }] };
      await expect(waitForParts(unsent, statePath, client, { pollIntervalMs: 0, sleep: quickSleep })).rejects.toThrow(/never created: the submit was interrupted/);
    });
  });

  it('refuses to continue pending batches for a run with another prompt', async () => {
    await withBatchEmulator({ batchDelayMs: 10_000 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      const client = batchClient(emulator);
      await submitBatches(submitOptions(emulator, dataset, out), { client });
      const other = submitOptions(emulator, dataset, out, { source: { dataset, prompt: 'helpfulness' } });
      await expect(submitBatches(other, { client })).rejects.toThrow(UsageError);
      await expect(submitBatches(other, { client })).rejects.toThrow(/not collected yet.*prompt/);
      expect(emulator.batchStats().filesUploaded).toBe(1);
    });
  });

  it('collects a cancelled batch: records what was answered, exits 3, and counts the rows left without an answer', async () => {
    await withBatchEmulator({ batchDelayMs: 400 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(20);
      const client = batchClient(emulator);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client });
      const batchId = state.parts[0]!.batch_id!;
      while ((await client.batches.retrieve(batchId)).request_counts!.completed < 5) await new Promise((r) => setTimeout(r, 5));
      await client.batches.cancel(batchId);
      await waitForParts(state, statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      expect(state.parts[0]!.status).toBe('cancelled');
      const result = await collectBatches(state, statePath, collectOptions(), { client });
      const records = await readRecords(out);
      expect(records.length).toBeGreaterThanOrEqual(5);
      expect(records.length).toBeLessThan(20);
      expect(result.unanswered).toBe(20 - records.length);
      expect(result.summary.status).toBe('cancelled');
      expect(result.exitCode).toBe(3);
      expect(result.reasons.join(' ')).toMatch(/batch 1 cancelled.*rows got no answer.*--resume/);
    });
  });

  it('with --retry-errors submits only the rows in error and adds their grades to the results', async () => {
    await withBatchEmulator({ faults: [{ kind: 'server_error', match: 'Question number 2?' }] }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(6);
      const client = batchClient(emulator);
      const first = await submitBatches(submitOptions(emulator, dataset, out), { client });
      await waitForParts(first.state, first.statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      await collectBatches(first.state, first.statePath, collectOptions({ gates: { maxErrorRate: 1 } }), { client });
      expect((await readRecords(out)).find((r) => r.id === 'q2')!.error).not.toBeNull();

      emulator.setFaults([]);
      const retry = await submitBatches(submitOptions(emulator, dataset, out, { mode: 'retry-errors' }), { client });
      expect(retry.resumed).toBe(false);
      expect(retry.state.parts.map((p) => p.requests)).toEqual([1]);
      await waitForParts(retry.state, retry.statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      const result = await collectBatches(retry.state, retry.statePath, collectOptions(), { client });
      const records = await readRecords(out);
      expect(records.map((r) => r.id).sort()).toEqual(['q1', 'q2', 'q3', 'q4', 'q5', 'q6']);
      expect(records.every((r) => r.error === null)).toBe(true);
      expect(result.summary).toMatchObject({ rows: 6, graded: 6, errors: {} });
      expect(result.exitCode).toBe(0);
    });
  });

  it('with --resume and every row graded already, uploads nothing and still summarises the results file', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(4);
      const client = batchClient(emulator);
      const first = await submitBatches(submitOptions(emulator, dataset, out), { client });
      await waitForParts(first.state, first.statePath, client, { pollIntervalMs: 0, sleep: quickSleep });
      await collectBatches(first.state, first.statePath, collectOptions(), { client });

      const again = await submitBatches(submitOptions(emulator, dataset, out, { mode: 'resume' }), { client });
      expect(again.state.parts).toEqual([]);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, batchesCreated: 1 });
      const result = await collectBatches(again.state, again.statePath, collectOptions(), { client });
      expect(result.summary).toMatchObject({ status: 'complete', rows: 4, graded: 4, requests: 0 });
      expect(await readRecords(out)).toHaveLength(4);
    });
  });

  it('exits 2 on a row the prompt cannot render, before writing or uploading anything', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      await writeFile(dataset, `${await readFile(dataset, 'utf8')}{"id":"bad","input":"Q?","reference":"A."}\n`);
      const io = captureIo({ env: { OPENAI_API_KEY: TEST_KEY } });
      const code = await main(['batch', 'submit', '-d', dataset, '-p', 'correctness', '-o', out, '--base-url', emulator.url], io.io);
      expect(code).toBe(2);
      expect(io.stderr()).toMatch(/qa\.jsonl:4.*"output"/);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 0, batchesCreated: 0 });
      expect(await exists(batchStatePath(out))).toBe(false);
      expect(await exists(`${out}.batch-1.jsonl`)).toBe(false);
    });
  });

  it('refuses a --max-cost the batch could pass, before uploading', async () => {
    await withBatchEmulator({}, async (emulator) => {
      const { dataset, out } = await batchWorkspace(3);
      const client = batchClient(emulator);
      await expect(submitBatches(submitOptions(emulator, dataset, out, { maxCost: 0.000001 }), { client })).rejects.toThrow(/may cost up to/);
      expect(emulator.batchStats().filesUploaded).toBe(0);
      await submitBatches(submitOptions(emulator, dataset, out, { maxCost: 1 }), { client });
      expect(emulator.batchStats().filesUploaded).toBe(1);
    });
  });

  it('keeps polling through a transient failure of a poll, saving each poll to the state file', async () => {
    await withBatchEmulator({ batchDelayMs: 30 }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(2);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client: batchClient(emulator) });
      let failures = 1;
      const flaky: typeof fetch = async (input, init) => {
        const isPoll = (init?.method ?? 'GET') === 'GET' && /\/batches\/batch_/.test(String(input));
        if (isPoll && failures-- > 0) return new Response(JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }), { status: 503 });
        return fetch(input, init);
      };
      const client = new OpenAI({ apiKey: TEST_KEY, baseURL: emulator.url, maxRetries: 0, fetch: flaky });
      const notes: string[] = [];
      await waitForParts(state, statePath, client, {
        pollIntervalMs: 0,
        sleep: quickSleep,
        onEvent: (event) => {
          if (event.type === 'note') notes.push(event.message);
        },
      });
      expect(notes).toEqual([expect.stringMatching(/checking batch 1 of 1 .* failed: .*polling again/)]);
      expect((await readBatchState(statePath))!.parts[0]!.status).toBe('completed');
    });
  });

  it('gives up the wait at once when a poll is refused for the key', async () => {
    await withBatchEmulator({ batchDelayMs: 10_000, apiKey: TEST_KEY }, async (emulator) => {
      const { dataset, out } = await batchWorkspace(2);
      const { state, statePath } = await submitBatches(submitOptions(emulator, dataset, out), { client: batchClient(emulator) });
      const wrongKey = new OpenAI({ apiKey: 'sk-wrong-key-0000', baseURL: emulator.url, maxRetries: 0 });
      await expect(waitForParts(state, statePath, wrongKey, { pollIntervalMs: 0, sleep: quickSleep })).rejects.toMatchObject({
        name: 'BatchApiError',
        code: 'auth_error',
      });
    });
  });
});
