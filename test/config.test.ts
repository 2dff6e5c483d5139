import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { redactCredentials } from '../src/config.js';
import { useEmulator } from './helpers/emulator.js';
import { tempDir } from './helpers/io.js';
import { qaDataset, TEST_KEY } from './helpers/run.js';
import { runBin } from './helpers/spawn.js';

// The emulator takes only this key: a run that reads another (or none) is refused with 401.
const emulator = useEmulator({ seed: 3, apiKey: TEST_KEY, batchDelayMs: 20 });
let dir: string;
beforeEach(async () => {
  dir = await tempDir();
});

/** Every file in the directory but the .env, as text: none may hold the key. */
async function writtenFiles(): Promise<string> {
  const names = (await readdir(dir)).filter((name) => name !== '.env');
  return (await Promise.all(names.map((name) => readFile(path.join(dir, name), 'utf8')))).join('\n');
}

describe('.env as Windows editors save it (the built CLI)', () => {
  const lines = () => [`export OPENAI_API_KEY="${TEST_KEY}"`, `OPENAI_BASE_URL='${emulator.url}'`];
  it.each([
    ['UTF-8 with a byte order mark and CRLF line endings', () => Buffer.from(`\ufeff${lines().join('\r\n')}\r\n`, 'utf8')],
    ['UTF-16 LE with a byte order mark (PowerShell 5 redirection)', () => Buffer.from(`\ufeff${lines().join('\r\n')}\r\n`, 'utf16le')],
  ])('reads the key and base URL from a .env in %s, and never prints or writes the key', async (_what, bytes) => {
    await writeFile(path.join(dir, '.env'), bytes());
    const dataset = await qaDataset(3, dir);
    const { code, stdout, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl', '--summary', 'summary.json'], { cwd: dir });
    expect(stderr).not.toMatch(/OPENAI_API_KEY is not set/);
    expect(code).toBe(0);
    expect(emulator.stats().requests).toBe(3);
    expect(`${stdout}${stderr}${await writtenFiles()}`).not.toContain(TEST_KEY);
  });
});

describe('a base URL that cannot work is refused at start-up (the built CLI)', () => {
  const withCredentials = () => `http://someuser:s3cret-pw@127.0.0.1:${emulator.port}/v1`;
  const redacted = () => `"http://[redacted]@127.0.0.1:${emulator.port}/v1"`;

  it.each([
    ['--base-url', (url: string) => ({ args: ['--base-url', url], env: {}, dotenv: '' })],
    ['OPENAI_BASE_URL', (url: string) => ({ args: [], env: { OPENAI_BASE_URL: url }, dotenv: '' })],
    ['OPENAI_BASE_URL in .env', (url: string) => ({ args: [], env: {}, dotenv: `OPENAI_BASE_URL=${url}\n` })],
  ])('user:pass@ in %s: exit 2 before any request, saying how to pass a key, never echoing the credentials', async (source, given) => {
    const { args, env, dotenv } = given(withCredentials());
    if (dotenv) await writeFile(path.join(dir, '.env'), dotenv);
    const dataset = await qaDataset(2, dir);
    const before = await readdir(dir);
    // --max-retries 0: without the check, the run fails fast on connection errors instead of backing off.
    const run = await runBin(['run', '-d', dataset, '-p', 'correctness', '--max-retries', '0', ...args], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, ...env } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`verdict: ${source} ${redacted()}: credentials in the URL are not supported`);
    expect(run.stderr).toMatch(/the API key in OPENAI_API_KEY/);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/s3cret-pw|someuser/);
    expect(emulator.stats().requests).toBe(0);
    expect(await readdir(dir)).toEqual(before);
  });

  it.each([
    ['a scheme other than http(s)', () => `ftp://127.0.0.1:${emulator.port}/v1`, /--base-url "ftp:\/\/127\.0\.0\.1:\d+\/v1": not an http:\/\/ or https:\/\/ URL/],
    ['text that is not a URL', () => 'not a url', /--base-url "not a url": not a URL; give one such as http:\/\/127\.0\.0\.1:8787\/v1/],
    ['a host and port without a scheme', () => `127.0.0.1:${emulator.port}`, /--base-url "127\.0\.0\.1:\d+": not/],
  ])('%s: exit 2 before any request', async (_what, url, expected) => {
    const dataset = await qaDataset(2, dir);
    const run = await runBin(['run', '-d', dataset, '-p', 'correctness', '--max-retries', '0', '--base-url', url()], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY } });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(expected);
    expect(emulator.stats().requests).toBe(0);
  });

  it('batch status and collect: user:pass@ in --base-url exits 2 before asking the server, never echoing it', async () => {
    const dataset = await qaDataset(2, dir);
    const env = { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url };
    expect((await runBin(['batch', 'submit', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl'], { cwd: dir, env })).code).toBe(0);
    const before = emulator.batchStats();
    for (const command of ['status', 'collect']) {
      const run = await runBin(['batch', command, '-o', 'out.jsonl', '--base-url', withCredentials()], { cwd: dir, env });
      expect(run.code, command).toBe(2);
      expect(run.stderr).toContain(`--base-url ${redacted()}: credentials in the URL are not supported`);
      expect(`${run.stdout}${run.stderr}`).not.toMatch(/s3cret-pw|someuser/);
    }
    expect(emulator.batchStats()).toEqual(before);
  });
});

describe('redactCredentials', () => {
  it.each([
    ['http://user:pw@host:1/v1', 'http://[redacted]@host:1/v1'],
    ['https://token@host/v1?x=1', 'https://[redacted]@host/v1?x=1'],
    ['http://us@er:p@ss@host/v1', 'http://[redacted]@host/v1'],
    ['user:pw@host', '[redacted]@host'],
    ['http://host/v1/a@b?c=d@e', 'http://host/v1/a@b?c=d@e'],
    ['http://127.0.0.1:8787/v1', 'http://127.0.0.1:8787/v1'],
  ])('%s → %s', (given, expected) => {
    expect(redactCredentials(given)).toBe(expected);
  });
});
