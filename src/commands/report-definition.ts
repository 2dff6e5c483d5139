import type { Command } from 'commander';
import type { Io } from '../io.js';
import { commonFlag } from './common-flags.js';

/** `verdict report`'s flags; its action (report-command.ts) is loaded only when it runs. */
export function defineReportCommand(program: Command, io: Io): void {
  program
    .command('report')
    .description('write an HTML report of a results file, or a side-by-side comparison of two (opens offline)')
    .argument('<results...>', 'results files (.jsonl or .csv): one, or two to compare (A, then B)')
    .option('-o, --out <file>', 'the HTML file to write', 'report.html')
    .option('-p, --prompt <file|name>', "the judge prompt the rows were graded with, to show each row's judge input (default: the one the records name)")
    .option('--label-field <path>', "show each run's agreement with the human labels in this row field (dotted for nested), as verdict stats does")
    .addOption(commonFlag.systems())
    .addOption(commonFlag.baseline())
    .addOption(commonFlag.quiet())
    .action(async (inputs: string[], raw: Record<string, unknown>) =>
      (await import('./report-command.js')).reportAction(inputs, raw, io),
    );
}
