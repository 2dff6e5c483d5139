import type { Command } from 'commander';
import type { Io } from '../io.js';
import { commonFlag, repeatable } from './common-flags.js';

/** `verdict merge`'s flags; its action (merge-command.ts) is loaded only when it runs. */
export function defineMergeCommand(program: Command, io: Io): void {
  program
    .command('merge')
    .description('join results files (the shards of a run) into one results file and one summary')
    .argument('<results...>', 'results files (.jsonl or .csv) to join')
    .option('-o, --out <file>', 'merged results file, .jsonl or .csv; repeatable (default: results.jsonl)', repeatable)
    .option('--summary <file>', 'also write the merged summary as JSON')
    .option('--force', 'overwrite the output; merge records of different judges')
    .addOption(commonFlag.quiet())
    .action(async (inputs: string[], raw: Record<string, unknown>) =>
      (await import('./merge-command.js')).mergeAction(inputs, raw, io),
    );
}
