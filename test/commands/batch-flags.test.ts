import { describe, expect, it } from 'vitest';
import { verdict } from './helpers.js';

// No state file, dataset or prompt exists behind these: a flag's problem is found first, by zod, before any is read.
describe('the batch commands check their flags through zod, naming the flag, before reading anything', () => {
  it.each([
    [['batch', 'status', '-o', 'none.jsonl', '--timeout', '0'], '--timeout must be a whole number of milliseconds, at least 1'],
    [['batch', 'collect', '-o', 'none.jsonl', '--timeout', '1.5'], '--timeout must be a whole number of milliseconds, at least 1'],
    [['batch', 'collect', '-o', 'none.jsonl', '--poll-interval', '-1'], '--poll-interval must be a number of milliseconds, 0 or more'],
    [['batch', 'collect', '-o', 'none.jsonl', '--poll-interval', 'soon'], '--poll-interval must be a number of milliseconds, 0 or more'],
    [['batch', 'collect', '-o', 'none.jsonl', '--min-pass-rate', '2'], '--min-pass-rate must be between 0 and 1'],
    [['batch', 'submit', '-d', 'none.jsonl', '-p', 'none.md', '--batch-size', '50001'], '--batch-size must be a whole number from 1 to 50000'],
    [['run', '--batch', '-d', 'none.jsonl', '-p', 'none.md', '--batch-size', '0'], '--batch-size must be a whole number from 1 to 50000'],
    [['run', '--batch', '-d', 'none.jsonl', '-p', 'none.md', '--poll-interval', 'x'], '--poll-interval must be a number of milliseconds, 0 or more'],
  ])('verdict %s', async (args, message) => {
    const run = await verdict(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`verdict: ${message}\n`);
  });

  it('an empty --base-url of batch status is none given: the state file is looked for', async () => {
    const run = await verdict(['batch', 'status', '-o', 'none.jsonl', '--base-url', '']);
    expect(run.code).toBe(2);
    expect(run.stderr).not.toContain('--base-url');
    expect(run.stderr).toContain('none.jsonl');
  });
});
