// The plain loop of bench/overhead and bench/memory: the loop a typical blog post shows. The OpenAI SDK with its
// default settings (2 retries, 10 min timeout), the dataset read whole with readFile + split, a
// hand-written semaphore around chat.completions.create, the prompt built with template literals,
// JSON.parse of the answer, every result kept in an array and written out at the end.
//
// Usage: node naive-child.js <dataset.jsonl> <out.jsonl> <concurrency> <baseURL>
// Prints one JSON line: {wallMs, workMs, maxRssMb, cpuMs, rows}.
import { readFile, writeFile } from 'node:fs/promises';
import OpenAI from 'openai';

const [file, out, concurrencyArg, baseURL] = process.argv.slice(2);
const concurrency = Number(concurrencyArg);
const workStarted = performance.now();

const client = new OpenAI({ apiKey: process.env.OPENAI_API_KEY, baseURL });

// The same judge prompt verdict's built-in `correctness` prompt renders, written out by hand.
const system = `You grade answers for factual correctness against a reference answer written by an expert.
Judge only whether the answer says the same thing as the reference: ignore style, length and
tone. Content that contradicts the reference is wrong even if it sounds confident. Extra
information is fine as long as it is true and does not contradict the reference.

Scale:
5 - fully correct: every claim agrees with the reference, nothing essential is missing.
4 - correct in substance, with a minor omission or imprecision.
3 - partly correct: some essential point is missing or wrong.
2 - mostly wrong, with a fragment that agrees with the reference.
1 - wrong, off-topic, or no answer.

Explain your reasoning in two or three sentences, then give the score.`;

const responseFormat = {
  type: 'json_schema',
  json_schema: {
    name: 'verdict_score',
    strict: true,
    schema: {
      type: 'object',
      properties: { reasoning: { type: 'string' }, score: { type: 'integer', minimum: 1, maximum: 5 } },
      required: ['reasoning', 'score'],
      additionalProperties: false,
    },
  },
};

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

async function grade(row) {
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [
      { role: 'system', content: system },
      {
        role: 'user',
        content: `Question:\n${row.input}\n\nReference answer:\n${row.reference}\n\nAnswer to grade:\n${row.output}`,
      },
    ],
    temperature: 0,
    max_completion_tokens: 400,
    response_format: responseFormat,
  });
  return JSON.parse(completion.choices[0].message.content);
}

const rows = (await readFile(file, 'utf8'))
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line));

const results = [];
await Promise.all(
  rows.map(async (row) => {
    await acquire();
    try {
      const { reasoning, score } = await grade(row);
      results.push({ ...row, score, reasoning });
    } finally {
      release();
    }
  }),
);
await writeFile(out, results.map((r) => JSON.stringify(r)).join('\n') + '\n');

const done = performance.now();
process.stdout.write(
  `${JSON.stringify({
    wallMs: done,
    workMs: done - workStarted,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    cpuMs: cpuMs(),
    rows: results.length,
  })}\n`,
);

/** User + system CPU time of this process so far, in ms (all threads: main, libuv pool, GC). */
function cpuMs() {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
