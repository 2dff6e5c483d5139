import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { CompareFlags, parseFlags } from './stats-flags.js';

/** `verdict compare <a> <b>`: two results files graded on the same ids, b against a. */
export function registerCompareCommand(program: Command, io: Io): void {
  program
    .command('compare')
    .description('paired comparison of two results files graded on the same ids')
    .argument('<a>', 'the baseline results file (.jsonl or .csv)')
    .argument('<b>', 'the results file compared with it: differences are b - a')
    .option('--criterion <name>', "compare this criterion's scores instead of the row scores")
    .option('--bootstrap <n>', 'resamples for the 95% interval of the mean difference; 0 for none', '2000')
    .option('--seed <n>', 'seed of the resampling, so the interval is reproducible', '1')
    .option('--json', 'print the comparison as JSON')
    .action(async (a: string, b: string, raw: Record<string, unknown>) => {
      const flags = parseFlags(CompareFlags, { ...raw, a, b });
      const { compareResults } = await import('../stats/run-compare.js');
      const comparison = await compareResults({
        a: flags.a,
        b: flags.b,
        criterion: flags.criterion,
        bootstrap: { resamples: flags.bootstrap, seed: flags.seed },
      });
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
        return;
      }
      const { renderComparison } = await import('../report/render-compare.js');
      const { terminalRenderOptions } = await import('../report/render-summary.js');
      io.stdout.write(renderComparison(comparison, terminalRenderOptions(io.stdout, io.env)));
    });
}
