import { describe, expect, it } from 'vitest';
import { HEAP_SETTINGS, heapFlags } from '../../bin/heap-settings.js';
import { runBin } from '../helpers/spawn.js';

const all = HEAP_SETTINGS.map((setting) => setting.flag);

describe('heapFlags', () => {
  it('keeps the heap near what is live for the commands that grade rows', () => {
    for (const command of ['run', 'batch', 'merge', undefined]) {
      expect(heapFlags({ command })).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=20', '--no-maglev']);
    }
  });

  it("leaves the emulator, a test server, on V8's defaults", () => {
    expect(heapFlags({ command: 'emulator' })).toEqual([]);
  });

  it("leaves V8's defaults when VERDICT_V8_DEFAULTS is set", () => {
    expect(heapFlags({ command: 'run', v8Defaults: '1' })).toEqual([]);
    expect(heapFlags({ command: 'run', v8Defaults: '0' })).toEqual(all);
  });

  it.each([
    ['--max-semi-space-size=64', '--semi-space-growth-factor=1'],
    ['--max_semi_space_size=64', '--semi-space-growth-factor=1'],
    ['--min-semi-space-size=16', '--semi-space-growth-factor=1'],
    ['--heap-growing-percent=0', '--heap-growing-percent=20'],
    ['--maglev', '--no-maglev'],
  ])('a flag the user gave node (%s) wins over %s', (userFlag, dropped) => {
    const expected = all.filter((flag) => flag !== dropped);
    expect(heapFlags({ command: 'run', execArgv: [userFlag] })).toEqual(expected);
    expect(heapFlags({ command: 'run', nodeOptions: `--enable-source-maps ${userFlag}` })).toEqual(expected);
  });
});

describe('bin/verdict.js with the heap settings', () => {
  it('starts and runs a command', async () => {
    const { code, stdout } = await runBin(['prompts']);
    expect(code).toBe(0);
    expect(stdout).toContain('correctness');
  });
});
