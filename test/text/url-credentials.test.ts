import { describe, expect, it } from 'vitest';
import { syncCommand } from '../../src/batch/continue-command.js';
import { withoutCredentials } from '../../src/text/url-credentials.js';

// Issue 12: a base URL's user:pass@ was echoed in the command printed to continue a run.
describe('withoutCredentials', () => {
  it('drops the user and password of a URL, whether the value is its own argument or after =', () => {
    expect(withoutCredentials(['run', '--base-url', 'http://user:pass@127.0.0.1:8787/v1', '--base-url=https://u:p%40ss@example.test/v1'])).toEqual([
      'run',
      '--base-url',
      'http://127.0.0.1:8787/v1',
      '--base-url=https://example.test/v1',
    ]);
  });

  it('leaves everything else alone, an @ in a path or a file name included', () => {
    const args = ['run', '-d', 'me@home.jsonl', '--base-url', 'http://127.0.0.1:8787/v1/@x', '-o', 'out.jsonl'];
    expect(withoutCredentials(args)).toEqual(args);
  });

  it('keeps them out of the synchronous command a batch run prints', () => {
    expect(syncCommand(['run', '--batch', '--base-url', 'http://user:secret@127.0.0.1:1/v1'], '--resume')).toBe('verdict run --base-url http://127.0.0.1:1/v1 --resume');
  });
});

describe("verdict run's command that continues", () => {
  it('leaves out the credentials', async () => {
    const { continueCommand } = await import('../../src/commands/run-command.js');
    const printed = continueCommand(['run', '-d', 'q.jsonl', '--base-url', 'http://user:secret@127.0.0.1:1/v1', '--force'], '--resume');
    expect(printed).toBe('verdict run -d q.jsonl --base-url http://127.0.0.1:1/v1 --resume');
    expect(continueCommand(['run', '-d', 'q.jsonl'], '--resume')).toBe('verdict run -d q.jsonl --resume');
  });
});
