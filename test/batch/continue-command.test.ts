import { describe, expect, it } from 'vitest';
import { commandFromState, syncCommand } from '../../src/batch/continue-command.js';
import type { BatchState } from '../../src/batch/state.js';

describe('the commands verdict prints to continue a batch run', () => {
  it.each([
    [['run', '--batch', '-d', 'd.jsonl', '-p', 'correctness', '--poll-interval', '10', '--force'], 'verdict run -d d.jsonl -p correctness --retry-errors'],
    [['run', '-d', 'my data.jsonl', '-p', 'x', '--batch-size=5', '--batch', '--resume'], "verdict run -d 'my data.jsonl' -p x --retry-errors"],
  ])('drops --batch and its flags from %j to grade synchronously', (argv, expected) => {
    expect(syncCommand(argv, '--retry-errors')).toBe(expected);
  });

  it('rebuilds the run a state file describes, with its id field, limit and shard', () => {
    const state = {
      dataset_file: '/data/qa.jsonl',
      prompt_file: '/p/correctness.md',
      outputs: ['r.jsonl', 'r.csv'],
      limit: 50,
      manifest: { judge: { model: 'gpt-4o' }, id_field: 'key', shard: '2/3' },
    } as unknown as BatchState;
    expect(commandFromState(state, '--resume')).toBe(
      'verdict run -d /data/qa.jsonl -p /p/correctness.md -o r.jsonl -o r.csv -m gpt-4o --id-field key --limit 50 --shard 2/3 --resume',
    );
  });
});
