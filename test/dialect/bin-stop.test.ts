import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/io.js';
import { useEmulator } from '../helpers/emulator.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

describe('verdict run against a server that cannot grade anything', () => {
  const lmstudio = useEmulator({ profile: 'lmstudio' });
  const anthropic = useEmulator({ profile: 'anthropic' });

  it('LM Studio without /v1: exit 3, the server\'s words and the /v1 hint on stderr, at most -c requests', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(20, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-c', '4', '--no-progress'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: lmstudio.url.replace(/\/v1$/, '') },
    });
    expect(code).toBe(3);
    expect(stderr).toContain('Unexpected endpoint or method. (POST /chat/completions)');
    expect(stderr).toContain('--base-url usually ends in /v1');
    expect(lmstudio.stats().requests).toBeLessThanOrEqual(4);
  });

  it('Anthropic with no credit: exit 3 and its message on stderr, at most -c requests', async () => {
    anthropic.setFaults([{ kind: 'insufficient_quota' }]);
    const dir = await tempDir();
    const dataset = await qaDataset(20, dir);
    const { code, stderr } = await runBin(['run', '-d', dataset, '-p', 'correctness', '-c', '4', '--no-progress'], {
      cwd: dir,
      env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: anthropic.url },
    });
    expect(code).toBe(3);
    expect(stderr).toContain('Your credit balance is too low to access the Anthropic API');
    expect(anthropic.stats().requests).toBeLessThanOrEqual(4);
  });
});
