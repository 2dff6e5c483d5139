// bench/ratelimit: how close verdict runs to the time an API's rate limits allow, and what it
// wastes getting there, next to a naive client (a semaphore around the OpenAI SDK with its default
// retries), both against the same bundled emulator enforcing its limits in one-second slices.
//
//   npm run bench:ratelimit -- [--scenario rpm-bound|tpm-bound|latency-bound|long-reset]... [--json] [--keep]
//
// Each scenario starts one emulator process with the scenario's flags; verdict (the CLI, in a
// child process) and then the naive client (bench/ratelimit/naive-child.js) run against it, each
// after the emulator's counters are reset and its buckets have refilled. Per client it prints the
// wall time (spawn to exit), the ideal time the limits allow, their ratio, the run's own time and
// its throughput, the share of requests answered 429, rows lost and requests that arrived while a
// 429's retry-after was still running. Exits 1 when verdict misses a target. See
// bench/README.md, "ratelimit", for the figures and what they mean.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { countPromptTokens } from '../dist/emulator/tokens.js';
import { loadPrompt } from '../dist/prompt/load.js';
import { startEmulator } from './lib/harness.js';
import { prng, words } from './lib/rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..');
const bin = path.join(repo, 'bin/verdict.js');
const log = (line) => process.stderr.write(`${line}\n`);

/**
 * The scenarios of the issue. `ideal` is max(rows / RPM, tokens / TPM, rows × latency / concurrency)
 * with verdict's concurrency; `checks` are verdict's targets.
 */
const scenarios = {
  'rpm-bound': {
    what: 'rpm 600, latency 300±100 ms, 600 rows, no --rpm given',
    emulator: ['--rpm', '600', '--latency', '300', '--jitter', '100'],
    limits: { rpm: 600, latencyMs: 300 },
    rows: 600,
    dataset: 'short',
    prompt: 'correctness',
    verdictFlags: [],
    concurrency: { verdict: 8, naive: 5 },
    checks: { ratio: 1.05, share429: 0.01, lost: 0 },
  },
  'tpm-bound': {
    what: 'tpm 60,000, latency 300±100 ms, ~500-token prompts, max 100 completion tokens, 100 rows',
    emulator: ['--tpm', '60000', '--latency', '300', '--jitter', '100'],
    limits: { tpm: 60_000, latencyMs: 300 },
    rows: 100,
    dataset: 'long',
    prompt: 'tpm',
    verdictFlags: [],
    concurrency: { verdict: 8, naive: 5 },
    checks: { ratio: 1.05, share429: 0.01, lost: 0 },
  },
  'latency-bound': {
    // 2048 rows: 64 full windows of 32, so the ideal is not charged for a half-empty last window.
    what: 'no limits, latency 500 ms, 2048 rows, --concurrency 32 (naive: 32 too)',
    emulator: ['--latency', '500'],
    limits: { latencyMs: 500 },
    rows: 2_048,
    dataset: 'short',
    prompt: 'correctness',
    verdictFlags: ['--concurrency', '32'],
    concurrency: { verdict: 32, naive: 32 },
    checks: { throughputShare: 0.95, lost: 0 },
  },
  'long-reset': {
    what: 'rpm 60, x-ratelimit-reset-tokens 6m0s, the first 10 requests answered 429 (retry-after 1 s), 30 rows',
    emulator: ['--rpm', '60', '--tpm', '1000000', '--reset-tokens', '360000', '--latency', '300'],
    faults: [{ kind: 'rate_limit', count: 10, retryAfterMs: 1_000 }],
    limits: { rpm: 60, tpm: 1_000_000, latencyMs: 300 },
    rows: 30,
    dataset: 'short',
    prompt: 'correctness',
    verdictFlags: [],
    concurrency: { verdict: 8, naive: 5 },
    checks: { duringCooldown: 0, lost: 0 },
  },
};

const { values: flags } = parseArgs({
  options: {
    scenario: { type: 'string', multiple: true },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const chosen = flags.scenario ?? Object.keys(scenarios);
for (const name of chosen) {
  if (!scenarios[name]) {
    log(`bench/ratelimit: unknown scenario ${JSON.stringify(name)} (one of ${Object.keys(scenarios).join(', ')})`);
    process.exit(2);
  }
}

// --- Datasets and prompts, generated here so every run grades the same bytes -----------------------


function text(random, chars) {
  const out = [];
  let length = 0;
  while (length < chars) {
    const word = words[Math.floor(random() * words.length)];
    out.push(word);
    length += word.length + 1;
  }
  return `${out.join(' ')}.`;
}

/** `short`: a question and two one-line answers. `long`: about 500 prompt tokens with the tpm prompt. */
async function writeDataset(file, rows, kind) {
  const random = prng(20261125);
  const lines = [];
  for (let i = 0; i < rows; i++) {
    const row =
      kind === 'long'
        ? { id: `r${i + 1}`, input: text(random, 200), reference: text(random, 750), output: text(random, 850) }
        : { id: `r${i + 1}`, input: `Question ${i + 1}: ${text(random, 60)}`, reference: text(random, 80), output: text(random, 80) };
    lines.push(JSON.stringify(row));
  }
  await writeFile(file, `${lines.join('\n')}\n`);
}

const tpmPrompt = `---
name: bench-tpm
mode: score
temperature: 0
max_tokens: 100
---
system:
You grade answers for factual correctness against a reference answer written by an expert.
Give your reasoning in one or two sentences and a score from 1 to 5.

user:
Question: {{ input }}

Reference answer: {{ reference }}

Answer to grade: {{ output }}
`;

/** Tokens the emulator charges the whole dataset: each request's prompt plus its max completion. */
async function datasetTokens(datasetFile, promptFile) {
  const prompt = await loadPrompt(promptFile);
  const rows = (await readFile(datasetFile, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  let tokens = 0;
  rows.forEach((row, index) => {
    tokens += countPromptTokens(prompt.template.render(row, { file: datasetFile, rowNumber: index + 1 })) + prompt.settings.max_tokens;
  });
  return tokens;
}

// --- One client run --------------------------------------------------------------------------------

function runProcess(args, env) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr, wallMs: performance.now() - started }));
  });
}

async function runVerdict(scenario, files, emulator) {
  const out = path.join(files.dir, 'verdict.jsonl');
  const summaryFile = path.join(files.dir, 'verdict-summary.json');
  const args = [bin, 'run', '-d', files.dataset, '-p', files.prompt, '-o', out, '--force', '--quiet', '--summary', summaryFile];
  args.push('--base-url', emulator.url, ...scenario.verdictFlags);
  const run = await runProcess(args, { OPENAI_API_KEY: 'bench-ratelimit-dummy-key' });
  if (run.code !== 0 && run.code !== 3) throw new Error(`verdict exited ${run.code}\n${run.stderr}`);
  const records = (await readFile(out, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const summary = JSON.parse(await readFile(summaryFile, 'utf8'));
  const graded = records.filter((record) => record.error === null).length;
  return { wallMs: run.wallMs, runMs: summary.wall_s * 1000, graded, exitCode: run.code, waitS: summary.wait_s };
}

async function runNaive(scenario, files, emulator) {
  const args = [path.join(here, 'ratelimit/naive-child.js'), files.dataset, files.prompt, String(scenario.concurrency.naive), emulator.url];
  const run = await runProcess(args, { OPENAI_API_KEY: 'bench-ratelimit-dummy-key' });
  if (run.code !== 0) throw new Error(`the naive client exited ${run.code}\n${run.stderr}`);
  const report = JSON.parse(run.stdout.trim().split('\n').at(-1));
  return { wallMs: run.wallMs, runMs: report.workMs, graded: report.graded, exitCode: run.code };
}

// --- The run ---------------------------------------------------------------------------------------

function idealSeconds(scenario, tokens) {
  const { rpm, tpm, latencyMs } = scenario.limits;
  const parts = [
    rpm ? (scenario.rows / rpm) * 60 : 0,
    tpm ? (tokens / tpm) * 60 : 0,
    latencyMs ? (scenario.rows * latencyMs) / 1000 / scenario.concurrency.verdict : 0,
  ];
  return Math.max(...parts);
}

async function runScenario(name, dir) {
  const scenario = scenarios[name];
  const files = { dir: await mkdtemp(path.join(dir, `${name}-`)) };
  files.dataset = path.join(files.dir, 'dataset.jsonl');
  await writeDataset(files.dataset, scenario.rows, scenario.dataset);
  files.prompt = scenario.prompt === 'tpm' ? path.join(files.dir, 'tpm.md') : scenario.prompt;
  if (scenario.prompt === 'tpm') await writeFile(files.prompt, tpmPrompt);
  const tokens = await datasetTokens(files.dataset, files.prompt);
  const ideal = idealSeconds(scenario, tokens);
  log(`\n${name}: ${scenario.what}; ideal ${ideal.toFixed(1)} s (${tokens.toLocaleString('en-US')} tokens)`);

  const emulator = await startEmulator(null, ['--seed', '7', ...scenario.emulator]);
  const results = [];
  try {
    for (const [client, run] of [['verdict', runVerdict], ['naive', runNaive]]) {
      // Full buckets and no cooldown left over from the previous client.
      await sleep(2_500);
      // Zeroed counters and restarted fault counts: a fresh storm for each client.
      await emulator.reset();
      await emulator.setFaults(scenario.faults ?? []);
      const outcome = await run(scenario, files, emulator);
      const stats = await emulator.stats();
      const refused = (stats.outcomes.rate_limited_by_budget ?? 0) + (stats.outcomes.rate_limit ?? 0);
      const result = {
        scenario: name,
        client,
        concurrency: scenario.concurrency[client],
        wallS: outcome.wallMs / 1000,
        runS: outcome.runMs / 1000,
        idealS: ideal,
        ratio: outcome.wallMs / 1000 / ideal,
        requests: stats.requests,
        answered429: refused,
        share429: stats.requests === 0 ? 0 : refused / stats.requests,
        rowsLost: scenario.rows - outcome.graded,
        duringCooldown: stats.duringCooldown,
        // When (ms after the client started) the first 429s came: at the start, or in the run?
        first429sAtMs: stats.log.filter((entry) => entry.status === 429).slice(0, 5).map((entry) => entry.at - (stats.log[0]?.at ?? 0)),
        // Throughput over the run itself: process and module start-up is a constant of the
        // process, not of the scheduling (the table shows both times).
        rowsPerSec: outcome.graded / (outcome.runMs / 1000),
        waitS: outcome.waitS,
        exitCode: outcome.exitCode,
      };
      results.push(result);
      log(`  ${client.padEnd(8)} ${describe(result)}`);
    }
  } finally {
    await emulator.stop();
  }
  return { name, scenario, ideal, results, checks: check(scenario, results.find((r) => r.client === 'verdict')) };
}

function describe(r) {
  const when = r.first429sAtMs.length > 0 ? ` (first at +${r.first429sAtMs.join(', +')} ms)` : '';
  return (
    `${r.wallS.toFixed(1)} s (${r.ratio.toFixed(3)}× ideal; run ${r.runS.toFixed(1)} s), ${r.rowsPerSec.toFixed(1)} rows/s, ${r.requests} requests, ` +
    `${r.answered429} answered 429 (${(r.share429 * 100).toFixed(1)}%)${when}, ${r.rowsLost} rows lost, ` +
    `${r.duringCooldown} sent during a cooldown${r.waitS === undefined ? '' : `, waited ${r.waitS.toFixed(1)} s`}`
  );
}

/** verdict's targets for the scenario: each with the figure measured and whether it was met. */
function check(scenario, r) {
  const out = [];
  const { checks } = scenario;
  if (checks.ratio !== undefined) out.push({ what: `wall ≤ ${checks.ratio}× ideal`, value: r.ratio.toFixed(3), ok: r.ratio <= checks.ratio });
  if (checks.share429 !== undefined) {
    out.push({ what: `≤ ${checks.share429 * 100}% of requests 429`, value: `${(r.share429 * 100).toFixed(2)}%`, ok: r.share429 <= checks.share429 });
  }
  if (checks.throughputShare !== undefined) {
    const ceiling = (scenario.concurrency.verdict * 1000) / scenario.limits.latencyMs;
    const share = r.rowsPerSec / ceiling;
    out.push({ what: `throughput ≥ ${checks.throughputShare} × ${ceiling}/s`, value: `${r.rowsPerSec.toFixed(1)}/s (${share.toFixed(3)})`, ok: share >= checks.throughputShare });
  }
  if (checks.duringCooldown !== undefined) {
    out.push({ what: 'no request sent during a cooldown', value: String(r.duringCooldown), ok: r.duringCooldown === checks.duringCooldown });
  }
  if (checks.lost !== undefined) out.push({ what: '0 rows lost', value: String(r.rowsLost), ok: r.rowsLost === checks.lost });
  return out;
}

function table(runs) {
  const lines = [
    '| scenario | client | concurrency | wall s | ideal s | wall / ideal | run s | rows/s | requests | 429s | 429 share | rows lost | sent during cooldown |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const run of runs) {
    for (const r of run.results) {
      lines.push(
        `| ${r.scenario} | ${r.client} | ${r.concurrency} | ${r.wallS.toFixed(1)} | ${r.idealS.toFixed(1)} | ${r.ratio.toFixed(3)} | ${r.runS.toFixed(1)} | ` +
          `${r.rowsPerSec.toFixed(1)} | ${r.requests} | ${r.answered429} | ${(r.share429 * 100).toFixed(1)}% | ${r.rowsLost} | ${r.duringCooldown} |`,
      );
    }
  }
  return lines.join('\n');
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-ratelimit-'));
const runs = [];
try {
  log(`bench/ratelimit: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown cpu'}, ${os.availableParallelism()} cores`);
  for (const name of chosen) runs.push(await runScenario(name, dir));
} finally {
  if (!flags.keep) await rm(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
}

const missed = runs.flatMap((run) => run.checks.filter((c) => !c.ok).map((c) => `${run.name}: ${c.what} (measured ${c.value})`));
if (flags.json) {
  process.stdout.write(`${JSON.stringify({ runs: runs.map(({ name, ideal, results, checks }) => ({ name, ideal, results, checks })) }, null, 2)}\n`);
} else {
  process.stdout.write(`${table(runs)}\n\nverdict's targets:\n`);
  for (const run of runs) {
    for (const c of run.checks) process.stdout.write(`  ${c.ok ? 'met   ' : 'MISSED'} ${run.name}: ${c.what} (measured ${c.value})\n`);
  }
}
if (missed.length > 0) process.exitCode = 1;
