import { describe, expect, it } from 'vitest';
import { suiteArgv } from '../../src/suites/run-all.js';
import { equivalentArgs, mergeFlags, suiteFlags, suiteKeyOfOption } from '../../src/suites/suite-flags.js';
import { worstExitCode } from '../../src/suites/worst-exit.js';

describe('a suite as flags', () => {
  const suite = { dataset: 'qa.jsonl', prompt: 'correctness', out: 'qa-out.jsonl', fields: { document: 'article', q: 'input.text' }, max_error_rate: 0.1, gate_on_interval: true };

  it('is the raw flags of its command line: fields as --field var=path, out as a list, keys in camelCase', () => {
    expect(suiteFlags(suite)).toEqual({ dataset: 'qa.jsonl', prompt: 'correctness', out: ['qa-out.jsonl'], field: ['document=article', 'q=input.text'], maxErrorRate: 0.1, gateOnInterval: true });
  });

  it('takes commander defaults under the file, and the flags the command line set over it', () => {
    const commandLine = { concurrency: '8', maxErrorRate: '0.05', progress: false, limit: '3' };
    const merged = mergeFlags(commandLine, new Set(['progress', 'limit']), { ...suite, limit: 10, concurrency: 2 });
    expect(merged).toMatchObject({ concurrency: 2, maxErrorRate: 0.1, progress: false, limit: '3' });
  });

  it('reads back as the equivalent verdict run: the file keys in order, then the command line flags', () => {
    const given = new Set(['progress', 'limit', 'suite']);
    const merged = mergeFlags({ progress: false, limit: '3', suite: ['qa'] }, given, suite);
    expect(equivalentArgs(suite, merged, given)).toEqual([
      '--dataset', 'qa.jsonl', '--prompt', 'correctness', '--out', 'qa-out.jsonl', '--field', 'document=article', '--field', 'q=input.text',
      '--max-error-rate', '0.1', '--gate-on-interval', '--no-progress', '--limit', '3',
    ]);
  });

  it('maps an option a flag error names back to its suite key', () => {
    expect(suiteKeyOfOption('maxErrorRate')).toBe('max_error_rate');
    expect(suiteKeyOfOption('fields')).toBe('fields');
    expect(suiteKeyOfOption('reports')).toBe('out');
    expect(suiteKeyOfOption('batchSize')).toBeUndefined();
  });
});

describe('a suite run again on its own', () => {
  it('keeps the command line but names only this suite', () => {
    expect(suiteArgv(['run', '--suite', 'a', '--force', '--suite=b', '--config', 'ci.yaml'], 'b')).toEqual(['run', '--force', '--config', 'ci.yaml', '--suite', 'b']);
    expect(suiteArgv(['run'], 'qa')).toEqual(['run', '--suite', 'qa']);
  });
});

describe('the exit code of several suites', () => {
  it.each([
    [[], 0],
    [[0, 0], 0],
    [[0, 1, 0], 1],
    [[1, 2], 2],
    [[3, 2, 1], 3],
    [[0, 3, 130], 130],
    [[130, 3], 130],
  ])('of %j is %i (130 > 3 > 2 > 1 > 0)', (codes, worst) => {
    expect(worstExitCode(codes)).toBe(worst);
  });
});
