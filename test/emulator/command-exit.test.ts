import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/spawn.js';

describe('verdict emulator with bad usage (spawned)', () => {
  it.each([
    [['--port', 'abc'], '--port must be an integer'],
    [['--bogus'], "unknown option '--bogus'"],
    [['--profile', 'bard'], 'Allowed choices are openai'],
    [['--fault', 'nope'], 'kind must be one of'],
  ])('exits 2 on %j, naming what is wrong', async (args, words) => {
    const { code, stderr } = await runBin(['emulator', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(words);
  });

  it('exits 0 on --help', async () => {
    const { code, stdout } = await runBin(['emulator', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--profile <name>');
  });
});
