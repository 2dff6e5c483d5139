import type { Command } from 'commander';
import type { Io } from '../io.js';
import { RANK_BOOTSTRAP } from '../stats/rank-defaults.js';
import { commonFlag } from './common-flags.js';

/** `verdict rank`'s flags; its action (rank-command.ts) is loaded only when it runs. */
export function defineRankCommand(program: Command, io: Io): void {
  program
    .command('rank')
    .description('rank the systems that pairwise results compare: win rates, Bradley-Terry ratings, length control')
    .argument('<results...>', 'pairwise results files (.jsonl or .csv) whose rows name the two systems')
    .addOption(commonFlag.systems())
    .addOption(commonFlag.baseline())
    .option('--length-control', 'also give the length-controlled win rate against the baseline (AlpacaEval 2 style; docs/panels.md)')
    .option('--pair <a,b>', "the row fields holding the two answers, for --length-control (default: the run's manifest, else output_a,output_b)")
    .option('--bootstrap <n>', 'resamples of the battles for the 95% intervals; 0 for none', String(RANK_BOOTSTRAP.resamples))
    .option('--seed <n>', 'seed of the resampling, so intervals are reproducible', String(RANK_BOOTSTRAP.seed))
    .option('--json', 'print the ranking as JSON')
    .action(async (files: string[], raw: Record<string, unknown>) => (await import('./rank-command.js')).rankAction(files, raw, io));
}
