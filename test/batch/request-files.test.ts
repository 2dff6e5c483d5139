import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBatchInputs, rowsToGrade } from '../../src/batch/inputs.js';
import { requestLine, writeRequestFiles } from '../../src/batch/request-files.js';
import { RunOptions } from '../../src/config.js';
import { firstRequestParams } from '../../src/dialect/params.js';
import { UsageError } from '../../src/errors.js';
import { runEval } from '../../src/run/run-eval.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';

async function* linesOf(sizes: number[]) {
  for (const [i, size] of sizes.entries()) yield { id: `r${i}`, line: `${'x'.repeat(size - 1)}\n` };
}

/** A server that answers every chat request with the same valid grade and keeps the bodies it got. */
async function recordingServer() {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      bodies.push(JSON.parse(text));
      const content = JSON.stringify({ reasoning: 'fine', score: 4 });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c', object: 'chat.completion', created: 0, model: 'm', choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, finish_reason: 'stop', logprobs: null }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, bodies, close: () => new Promise((r) => server.close(r)) };
}

describe('batch request files', () => {
  it('holds, for each row, exactly the body the synchronous path sends, under the row id as custom_id', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(1, dir);
    const server = await recordingServer();
    try {
      await runEval(RunOptions.parse({ dataset, prompt: 'correctness', out: [path.join(dir, 'r.jsonl')], baseUrl: server.url }), { apiKey: TEST_KEY });
    } finally {
      await server.close();
    }
    const inputs = await loadBatchInputs({ dataset, prompt: 'correctness' });
    const settings = { model: inputs.model, sampling: firstRequestParams(inputs.params), responseFormat: inputs.responseFormat };
    const rows = [];
    for await (const row of rowsToGrade(inputs)) rows.push(row);
    const line = JSON.parse(requestLine(rows[0]!.id, rows[0]!.messages, settings));
    expect(line).toEqual({ custom_id: 'q1', method: 'POST', url: '/v1/chat/completions', body: server.bodies[0] });
  });

  it('starts a new file when the next line would pass the request limit or the byte limit', async () => {
    const dir = await tempDir();
    const pathOf = (i: number) => path.join(dir, `part-${i}.jsonl`);
    const byCount = await writeRequestFiles(linesOf([10, 10, 10, 10, 10]), pathOf, { maxRequests: 2, maxBytes: 1_000 });
    expect(byCount.map((f) => f.requests)).toEqual([2, 2, 1]);
    const bySize = await writeRequestFiles(linesOf([40, 40, 30, 50, 10]), pathOf, { maxRequests: 100, maxBytes: 100 });
    expect(bySize.map((f) => [f.requests, f.bytes])).toEqual([[2, 80], [3, 90]]);
    expect((await readFile(pathOf(2), 'utf8')).length).toBe(90);
  });

  it('writes no file for no rows', async () => {
    const dir = await tempDir();
    expect(await writeRequestFiles(linesOf([]), (i) => path.join(dir, `p${i}.jsonl`), { maxRequests: 2, maxBytes: 100 })).toEqual([]);
  });

  it('refuses a single request larger than a whole file may be', async () => {
    const dir = await tempDir();
    const writing = writeRequestFiles(linesOf([10, 500]), (i) => path.join(dir, `p${i}.jsonl`), { maxRequests: 10, maxBytes: 100 });
    await expect(writing).rejects.toThrow(UsageError);
    await expect(writeRequestFiles(linesOf([500]), (i) => path.join(dir, `q${i}.jsonl`), { maxRequests: 10, maxBytes: 100 })).rejects.toThrow(/row "r0" is 500 bytes/);
  });
});
