import type { Command } from 'commander';
import type { Io } from '../io.js';

/** `verdict compare`'s flags; its action (compare-command.ts) is loaded only when it runs. */
export function defineCompareCommand(program: Command, io: Io, setExitCode: (code: number) => void = () => {}): void {
  program
    .command('compare')
    .description('paired comparison of two results files graded on the same ids')
    .argument('<a>', 'the baseline results file (.jsonl or .csv)')
    .argument('<b>', 'the results file compared with it: differences are b - a')
    .option('--criterion <name>', "compare this criterion's scores instead of the row scores")
    .option('--bootstrap <n>', 'resamples for the 95% interval of the mean difference; 0 for none', '2000')
    .option('--seed <n>', 'seed of the resampling, so the interval is reproducible', '1')
    .option('--metric <name>', 'mean (scores), pass_rate or win_rate (pairwise: how often A is preferred, a tie counting half); default: what the files hold')
    .option('--fail-if-worse <delta>', 'exit 1 when the 95% interval of b - a lies wholly below -delta (in the metric\'s units)')
    .option('--markdown <file>', 'also write the comparison as Markdown, for a pull-request comment or a step summary')
    .option('--json', 'print the comparison as JSON')
    .action(async (a: string, b: string, raw: Record<string, unknown>) =>
      (await import('./compare-command.js')).compareAction(a, b, raw, io, setExitCode),
    );
}
