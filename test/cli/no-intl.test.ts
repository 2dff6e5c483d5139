import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, readRecords, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// The first call into Intl (toLocaleString, localeCompare, Intl.*) makes node page in ICU's data:
// 6-8 MB of resident memory held to the end of a run, which bench/memory counts. A run, its
// progress lines and its summary never need it; this preload makes any such call throw.
const TRIPWIRE = `
const trip = (name) => function () { throw new Error('verdict called ' + name); };
Number.prototype.toLocaleString = trip('Number.prototype.toLocaleString');
String.prototype.localeCompare = trip('String.prototype.localeCompare');
Date.prototype.toLocaleString = trip('Date.prototype.toLocaleString');
for (const name of ['NumberFormat', 'Collator', 'DateTimeFormat', 'PluralRules', 'Segmenter', 'ListFormat']) {
  Object.defineProperty(Intl, name, { get: trip('Intl.' + name) });
}
`;

const emulator = useEmulator({ seed: 5 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

describe('a run and its summary', () => {
  it('never call into Intl', async () => {
    await writeFile(path.join(dir, 'tripwire.mjs'), TRIPWIRE);
    // Two kinds of error, so the summary sorts its error codes; a 429 so the rate-limit lines print.
    emulator.setFaults([
      { kind: 'rate_limit', count: 1, retryAfterMs: 10 },
      { kind: 'bad_request', match: 'Question number 2?' },
      { kind: 'refusal', match: 'Question number 3?' },
    ]);
    const dataset = await qaDataset(1200, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-o', 'out.jsonl', '--summary', 's.json'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url, NODE_OPTIONS: `--import=${path.join(dir, 'tripwire.mjs')}` },
      timeoutMs: 60_000,
    });
    expect(stderr).not.toContain('verdict called');
    // The summary counts more than a thousand rows, so its counts are grouped.
    expect(stderr).toContain('1,200');
    expect(code).toBe(0);
    expect(await readRecords(path.join(dir, 'out.jsonl'))).toHaveLength(1200);
    const summary = JSON.parse(await readFile(path.join(dir, 's.json'), 'utf8'));
    expect(Object.keys(summary.errors)).toEqual(['bad_request', 'refused']);
  });
});
