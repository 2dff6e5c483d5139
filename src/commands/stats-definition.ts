import type { Command } from 'commander';
import type { Io } from '../io.js';

/** `verdict stats`'s flags; its action (stats-command.ts) is loaded only when it runs. */
export function defineStatsCommand(program: Command, io: Io): void {
  program
    .command('stats')
    .description('recompute the summary of one or more results files; agreement with human labels')
    .argument('<results...>', 'results files (.jsonl or .csv); a later record of an id replaces an earlier one')
    .option('--label-field <path>', 'the row field with the human label (dotted for nested: scores.overall)')
    .option('--criterion <name>', "compare the labels with this criterion's scores (default: the criterion named like the label field, else the verdict, label, pass or score)")
    .option('--group-by <path>', 'correlate within groups of this row field and average over them (summary-level, as G-Eval does)')
    .option('--pair <a,b>', "pairwise: the row fields holding the two answers, for the longer-answer share (default: the run's manifest, else output_a,output_b)")
    .option('--bootstrap <n>', 'resamples for the 95% intervals; 0 for none', '2000')
    .option('--seed <n>', 'seed of the resampling, so intervals are reproducible', '1')
    .option('--json', 'print the summary (with "agreement") as JSON')
    .action(async (files: string[], raw: Record<string, unknown>) =>
      (await import('./stats-command.js')).statsAction(files, raw, io),
    );
}
