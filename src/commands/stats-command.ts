import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { parseFlags, StatsFlags } from './stats-flags.js';

/** `verdict stats <results...>`: the summary of results files, and with --label-field agreement with human labels. */
export function registerStatsCommand(program: Command, io: Io): void {
  program
    .command('stats')
    .description('recompute the summary of one or more results files; agreement with human labels')
    .argument('<results...>', 'results files (.jsonl or .csv); a later record of an id replaces an earlier one')
    .option('--label-field <path>', 'the row field with the human label (dotted for nested: scores.overall)')
    .option('--criterion <name>', "compare the labels with this criterion's scores (default: the criterion named like the label field, else the verdict, label, pass or score)")
    .option('--group-by <path>', 'correlate within groups of this row field and average over them (summary-level, as G-Eval does)')
    .option('--bootstrap <n>', 'resamples for the 95% intervals; 0 for none', '2000')
    .option('--seed <n>', 'seed of the resampling, so intervals are reproducible', '1')
    .option('--json', 'print the summary (with "agreement") as JSON')
    .action(async (files: string[], raw: Record<string, unknown>) => {
      const flags = parseFlags(StatsFlags, { ...raw, files });
      const { computeStats } = await import('../stats/run-stats.js');
      const report = await computeStats({
        files: flags.files,
        labelField: flags.labelField,
        criterion: flags.criterion,
        groupBy: flags.groupBy,
        bootstrap: { resamples: flags.bootstrap, seed: flags.seed },
      });
      if (flags.json) {
        io.stdout.write(`${JSON.stringify(report.summary, null, 2)}\n`);
        if (report.replaced > 0) io.stderr.write(`verdict: ${report.replaced} of ${report.records} records replaced by a later record of the same id\n`);
        return;
      }
      const { renderStats } = await import('../report/render-stats.js');
      const { terminalRenderOptions } = await import('../report/render-summary.js');
      io.stdout.write(renderStats(report, flags.files, terminalRenderOptions(io.stdout, io.env)));
    });
}
