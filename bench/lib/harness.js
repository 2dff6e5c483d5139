// What bench/overhead and bench/memory share: the emulator in its own process, a measured child
// (bench/overhead/verdict-child.js or naive-child.js: a fresh process each time), the check of its
// results file, and a median.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A failed check: the bench stops, its emulator is stopped, and it exits 1. */
export class BenchFailure extends Error {}

export function fail(message) {
  throw new BenchFailure(message);
}

/** The two clients every bench compares, each a script taking <dataset> <out> <concurrency> <baseURL>. */
export const CLIENTS = {
  verdict: path.join(repo, 'bench/overhead/verdict-child.js'),
  loop: path.join(repo, 'bench/overhead/naive-child.js'),
};

/**
 * Starts `verdict emulator` in its own process (so its memory is not counted), answering after
 * latencyMs (null: as extraFlags say), with any other `verdict emulator` flags.
 */
export async function startEmulator(latencyMs = 0, extraFlags = []) {
  const latency = latencyMs === null ? [] : ['--latency', String(latencyMs)];
  const child = spawn(process.execPath, [path.join(repo, 'bin/verdict.js'), 'emulator', '--port', '0', ...latency, ...extraFlags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let url;
  for await (const line of createInterface({ input: child.stdout })) {
    url = /listening on (http:\/\/\S+)/.exec(line)?.[1];
    if (url) break;
  }
  if (!url) {
    const { code, signal } = await exited;
    fail(`the emulator exited before listening (code ${code}, signal ${signal})`);
  }
  const origin = new URL(url).origin;
  return {
    url,
    async reset() {
      const res = await fetch(`${origin}/_emulator/reset`, { method: 'POST' });
      if (!res.ok) fail(`POST /_emulator/reset answered ${res.status}`);
      await res.arrayBuffer();
    },
    /** Injects these faults from now on (the emulator's fault specs), replacing any before. */
    async setFaults(faults) {
      const res = await fetch(`${origin}/_emulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ faults }) });
      if (!res.ok) fail(`POST /_emulator/faults answered ${res.status}`);
      await res.arrayBuffer();
    },
    async stats() {
      const res = await fetch(`${origin}/_emulator/stats`);
      if (!res.ok) fail(`GET /_emulator/stats answered ${res.status}`);
      return res.json();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * Runs one client as a fresh process; resolves with the JSON line it prints last
 * ({ wallMs, workMs, maxRssMb, cpuMs, rows, exitCode? }). nodeFlags go on its node's command line.
 */
export function runClient(script, args, { cwd, nodeFlags = [], env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, script, ...args], {
      cwd,
      // The emulator takes any key; never hand a child a real one, or a base URL, from this shell.
      env: { ...process.env, OPENAI_API_KEY: 'bench-dummy-key', OPENAI_BASE_URL: '', NODE_OPTIONS: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      let report;
      try {
        report = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
      } catch {
        report = undefined;
      }
      if (code === 0 && report) resolve(report);
      else reject(new BenchFailure(`${path.basename(script)} failed (code ${code}, signal ${signal})\n--- stdout\n${stdout.slice(-4000)}\n--- stderr\n${stderr.slice(-4000)}`));
    });
  });
}

/** Checks a results file, streaming: one line per row, every row scored 1..5, ids distinct. */
export async function checkResults(name, out, expectedRows) {
  const ids = new Set();
  let lines = 0;
  for await (const line of createInterface({ input: createReadStream(out), crlfDelay: Infinity })) {
    if (line === '') continue;
    lines++;
    const record = JSON.parse(line);
    if (record.error) fail(`${name}: row ${record.id} ended in error: ${JSON.stringify(record.error)}`);
    if (!Number.isInteger(record.score) || record.score < 1 || record.score > 5) fail(`${name}: row ${record.id} has no score in 1..5: ${line.slice(0, 200)}`);
    ids.add(record.id);
  }
  if (lines !== expectedRows) fail(`${name}: ${lines} result lines, expected ${expectedRows}`);
  if (ids.size !== expectedRows) fail(`${name}: ${ids.size} distinct ids, expected ${expectedRows}`);
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
