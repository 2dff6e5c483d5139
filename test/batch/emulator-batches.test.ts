import { describe, expect, it } from 'vitest';
import OpenAI, { toFile } from 'openai';
import { startEmulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { emulatorCommand } from '../../src/emulator/command.js';
import { gradeFormat, waitFor } from '../emulator/helpers.js';

async function withClient<T>(options: EmulatorOptions, body: (client: OpenAI, emulator: Awaited<ReturnType<typeof startEmulator>>) => Promise<T>) {
  const emulator = await startEmulator(options);
  try {
    return await body(new OpenAI({ apiKey: 'sk-test', baseURL: emulator.url, maxRetries: 0 }), emulator);
  } finally {
    await emulator.close();
  }
}

const line = (customId: string, question: string, model = 'gpt-4o-mini') =>
  JSON.stringify({
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: { model, messages: [{ role: 'user', content: question }], response_format: gradeFormat, max_completion_tokens: 100 },
  });

async function upload(client: OpenAI, lines: string[], name = 'in.jsonl') {
  return client.files.create({ file: await toFile(Buffer.from(`${lines.join('\n')}\n`), name), purpose: 'batch' });
}

async function until(client: OpenAI, id: string, done: (status: string) => boolean, onPoll?: (batch: OpenAI.Batches.Batch) => void) {
  for (let i = 0; i < 200; i++) {
    const batch = await client.batches.retrieve(id);
    onPoll?.(batch);
    if (done(batch.status)) return batch;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the batch never got there');
}

async function lines(client: OpenAI, fileId: string | null | undefined) {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l));
}

describe('the emulator Batch API', () => {
  it('takes a multipart upload with purpose batch and serves its object and content back', async () => {
    await withClient({}, async (client, emulator) => {
      const file = await upload(client, [line('a', 'Q1')]);
      expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'in.jsonl', status: 'processed' });
      expect((await client.files.retrieve(file.id)).bytes).toBe(file.bytes);
      expect(await (await client.files.content(file.id)).text()).toBe(`${line('a', 'Q1')}\n`);
      expect(emulator.batchStats()).toMatchObject({ filesUploaded: 1, contentDownloads: 1 });
    });
  });

  it('refuses a batch upload that is not .jsonl, and any request without a key', async () => {
    await withClient({}, async (client, emulator) => {
      await expect(upload(client, [line('a', 'Q1')], 'in.csv')).rejects.toMatchObject({ status: 400, code: 'invalid_file_format' });
      const anonymous = await fetch(`${emulator.url}/batches/batch_x`);
      expect(anonymous.status).toBe(401);
    });
  });

  it('moves a batch through validating, in_progress and finalizing to completed over the delay, counting requests', async () => {
    await withClient({ batchDelayMs: 200 }, async (client) => {
      const file = await upload(client, Array.from({ length: 20 }, (_, i) => line(`r${i}`, `Question ${i}`)));
      const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(created.status).toBe('validating');
      const seen = new Set<string>();
      const counts: number[] = [];
      const done = await until(client, created.id, (status) => {
        seen.add(status);
        return status === 'completed';
      }, (batch) => counts.push(batch.request_counts!.completed));
      for (const status of seen) expect(['validating', 'in_progress', 'finalizing', 'completed']).toContain(status);
      expect(seen.has('in_progress')).toBe(true);
      // The counts climb while the batch runs, as OpenAI's do.
      expect(counts.some((n) => n > 0 && n < 20)).toBe(true);
      expect(counts).toEqual([...counts].sort((a, b) => a - b));
      expect(done.request_counts).toEqual({ total: 20, completed: 20, failed: 0 });
      expect(done.error_file_id).toBeNull();
      const output = await lines(client, done.output_file_id);
      expect(output.map((l) => l.custom_id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`).sort());
      // Output order is not input order, as OpenAI warns.
      expect(output.map((l) => l.custom_id)).not.toEqual(Array.from({ length: 20 }, (_, i) => `r${i}`));
      for (const entry of output) {
        expect(entry).toMatchObject({ error: null, response: { status_code: 200 } });
        expect(entry.id).toMatch(/^batch_req_/);
        const answer = JSON.parse(entry.response.body.choices[0].message.content);
        expect(answer.score).toBeGreaterThanOrEqual(1);
      }
    });
  });

  it('answers each line exactly as the chat endpoint answers the same request with the same seed', async () => {
    await withClient({ seed: 5, batchDelayMs: 0 }, async (client) => {
      const sync = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Question 7' }],
        response_format: gradeFormat,
        max_completion_tokens: 100,
      });
      const file = await upload(client, [line('only', 'Question 7')]);
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const done = await until(client, batch.id, (status) => status === 'completed');
      const [entry] = await lines(client, done.output_file_id);
      expect(entry.response.body.choices[0].message.content).toBe(sync.choices[0]!.message.content);
    });
  });

  it('puts lines a fault fails in the error file with their status and error body, and counts them as failed', async () => {
    const faults = [{ kind: 'server_error' as const, match: 'Question 2' }, { kind: 'bad_request' as const, match: 'Question 4' }];
    await withClient({ batchDelayMs: 0, faults }, async (client) => {
      const file = await upload(client, Array.from({ length: 6 }, (_, i) => line(`r${i}`, `Question ${i}`)));
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const done = await until(client, batch.id, (status) => status === 'completed');
      expect(done.request_counts).toEqual({ total: 6, completed: 4, failed: 2 });
      const errors = await lines(client, done.error_file_id);
      expect(errors.map((e) => [e.custom_id, e.response.status_code, e.response.body.error.type, e.error])).toEqual(
        expect.arrayContaining([
          ['r2', 500, 'server_error', null],
          ['r4', 400, 'invalid_request_error', null],
        ]),
      );
      expect((await lines(client, done.output_file_id)).map((l) => l.custom_id).sort()).toEqual(['r0', 'r1', 'r3', 'r5']);
    });
  });

  it('fails a batch whose file mixes models or repeats a custom_id, listing each problem with its line', async () => {
    await withClient({ batchDelayMs: 0 }, async (client) => {
      const file = await upload(client, [line('a', 'Q1'), line('b', 'Q2', 'gpt-4o'), line('a', 'Q3'), 'not json']);
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const done = await until(client, batch.id, (status) => status === 'failed');
      expect(done.errors?.data?.map((e) => [e.code, e.line])).toEqual([
        ['mismatched_model', 2],
        ['duplicate_custom_id', 3],
        ['invalid_json_line', 4],
      ]);
      expect(done.output_file_id).toBeNull();
    });
  });

  it('refuses to create a batch for an unknown file, another endpoint or another window', async () => {
    await withClient({}, async (client) => {
      const file = await upload(client, [line('a', 'Q1')]);
      const create = (body: Record<string, unknown>) =>
        client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', ...body } as never);
      await expect(create({ input_file_id: 'file-nope' })).rejects.toMatchObject({ status: 404 });
      await expect(create({ endpoint: '/v1/embeddings' })).rejects.toMatchObject({ status: 400, param: 'endpoint' });
      await expect(create({ completion_window: '1h' })).rejects.toMatchObject({ status: 400, param: 'completion_window' });
    });
  });

  it('cancels a running batch: cancelling, then cancelled with the lines done before', async () => {
    await withClient({ batchDelayMs: 400 }, async (client, emulator) => {
      const file = await upload(client, Array.from({ length: 10 }, (_, i) => line(`r${i}`, `Question ${i}`)));
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      await until(client, batch.id, (status) => status === 'in_progress');
      expect((await client.batches.cancel(batch.id)).status).toBe('cancelling');
      const done = await until(client, batch.id, (status) => status === 'cancelled');
      expect(done.request_counts!.completed).toBeLessThan(10);
      expect(await lines(client, done.output_file_id)).toHaveLength(done.request_counts!.completed);
      await expect(client.batches.cancel(batch.id)).rejects.toMatchObject({ status: 409 });
      expect(emulator.batchStats().cancels).toBe(1);
    });
  });

  it('lists batches newest first, page by page', async () => {
    await withClient({}, async (client) => {
      const file = await upload(client, [line('a', 'Q1')]);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' })).id);
      }
      const listed: string[] = [];
      for await (const batch of client.batches.list({ limit: 2 })) listed.push(batch.id);
      expect(listed).toEqual([...ids].reverse());
    });
  });

  it('takes its batch delay from verdict emulator --batch-delay', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = emulatorCommand({ print: (line) => lines.push(line), untilStopped: () => stopped }).parseAsync(['--port', '0', '--batch-delay', '5000'], { from: 'user' });
    await waitFor(() => lines.length > 0);
    const url = /listening on (\S+)$/.exec(lines[0]!)![1]!;
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: url, maxRetries: 0 });
    const file = await upload(client, [line('a', 'Q1')]);
    const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    // The default of one second validates for its first 200 ms; five seconds validate for one.
    expect((await client.batches.retrieve(batch.id)).status).toBe('validating');
    stop();
    await run;
  });
});
