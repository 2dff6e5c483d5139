import { describe, expect, it } from 'vitest';
import { HEAP_SETTINGS, heapFlags } from '../../bin/heap-settings.js';
import { qaDataset } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

const all = HEAP_SETTINGS.map((setting) => setting.flag);

describe('heapFlags', () => {
  it('keeps the heap near what is live for the commands that read datasets and results', () => {
    for (const command of ['run', 'batch', 'merge']) {
      expect(heapFlags({ command })).toEqual(['--semi-space-growth-factor=1', '--heap-growing-percent=20', '--no-maglev']);
    }
  });

  it("leaves the emulator and the quick commands on V8's defaults, so their start-up is not slowed", () => {
    for (const command of ['emulator', 'prompts', 'help', '--help', '--version', undefined]) {
      expect(heapFlags({ command })).toEqual([]);
    }
    expect(heapFlags({ command: 'run', args: ['--help'] })).toEqual([]);
  });

  it('leaves a dry run, which sends nothing and is CPU-bound, on V8\'s defaults', () => {
    expect(heapFlags({ command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness', '--dry-run'] })).toEqual([]);
    expect(heapFlags({ command: 'run', args: ['-d', 'data.jsonl', '-p', 'correctness'] })).toEqual(all);
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
  it('runs a command that gets them', async () => {
    const dataset = await qaDataset(3);
    const { code, stdout } = await runBin(['run', '-d', dataset, '-p', 'correctness', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^rows: 3$/m);
  });
});
