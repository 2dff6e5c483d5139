import type { Io } from '../io.js';
import { parseFlags } from './parse-flags.js';
import { StatsFlags } from './stats-flags.js';

/** `verdict stats <results...>` (its flags: stats-definition.ts): the summary of results files, and with --label-field agreement with human labels. */
export async function statsAction(files: string[], raw: Record<string, unknown>, io: Io): Promise<void> {
  const flags = parseFlags(StatsFlags, { ...raw, files });
  const { computeStats } = await import('../stats/run-stats.js');
  const report = await computeStats({
    files: flags.files,
    labelField: flags.labelField,
    criterion: flags.criterion,
    groupBy: flags.groupBy,
    pair: flags.pair,
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
}
