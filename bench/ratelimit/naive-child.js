// The naive client of bench/ratelimit: what most scripts do. A semaphore around the OpenAI SDK
// with its default settings (2 retries honouring retry-after, up to 8 s of backoff otherwise, a
// 10-minute timeout); a row whose request still fails after the SDK's retries is lost.
//
// It sends exactly the requests verdict sends (same rendered messages, schema and limits), so the
// two are compared on the same token costs. Usage:
//   node naive-child.js <dataset.jsonl> <prompt file> <concurrency> <baseURL>
// Prints one JSON line: {rows, graded, lost, errors: {status: count}, workMs}, where workMs runs from
// after the imports (node and module start-up excluded) to the last answer.
import { readFile } from 'node:fs/promises';
import OpenAI from 'openai';
import { answerSpecFor } from '../../dist/judge/modes/index.js';
import { toResponseFormat } from '../../dist/judge/json-schema.js';
import { loadPrompt } from '../../dist/prompt/load.js';

const workStarted = performance.now();
const [file, promptFile, concurrencyArg, baseURL] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL });

const prompt = await loadPrompt(promptFile);
const spec = answerSpecFor(prompt);
const responseFormat = toResponseFormat(spec.schemaName, spec.schema);

// A plain counting semaphore.
let active = 0;
const waiting = [];
async function acquire() {
  if (active < concurrency) {
    active++;
    return;
  }
  await new Promise((resolve) => waiting.push(resolve));
}
function release() {
  const next = waiting.shift();
  if (next) next();
  else active--;
}

const rows = (await readFile(file, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

let graded = 0;
const errors = {};
await Promise.all(
  rows.map(async (row, index) => {
    await acquire();
    try {
      const completion = await client.chat.completions.create({
        model: prompt.settings.model ?? 'gpt-4o-mini',
        messages: prompt.template.render(row, { file, rowNumber: index + 1 }),
        temperature: prompt.settings.temperature,
        max_completion_tokens: prompt.settings.max_tokens,
        response_format: responseFormat,
      });
      JSON.parse(completion.choices[0].message.content);
      graded++;
    } catch (error) {
      const key = String(error?.status ?? error?.name ?? 'error');
      errors[key] = (errors[key] ?? 0) + 1;
    } finally {
      release();
    }
  }),
);
const workMs = performance.now() - workStarted;
process.stdout.write(`${JSON.stringify({ rows: rows.length, graded, lost: rows.length - graded, errors, workMs })}\n`);
