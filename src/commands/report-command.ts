import * as z from 'zod';
import type { Io } from '../io.js';
import { UsageError } from '../errors.js';
import { isReportPath } from '../report/html/report-outputs.js';
import { DEFAULT_RANKING } from '../report/html/ranking-view.js';
import { parseFlags } from './parse-flags.js';
import { baselineSystem, systemFields } from './rank-flags.js';

/** `verdict report`'s flags after parsing (commander leaves absent ones undefined). */
const ReportFlags = z.object({
  inputs: z.array(z.string()),
  out: z.string(),
  prompt: z.string().optional(),
  labelField: z.string().optional(),
  systems: systemFields.optional(),
  baseline: baselineSystem.optional(),
  quiet: z.boolean().default(false),
});

/** `verdict report <results...> -o report.html` (its flags: report-definition.ts): one self-contained HTML page of one run, or of two compared. */
export async function reportAction(inputs: string[], options: Record<string, unknown>, io: Io): Promise<void> {
  const flags = parseFlags(ReportFlags, { ...options, inputs });
  if (!isReportPath(flags.out)) {
    throw new UsageError(`cannot write a report to ${flags.out}: the file name must end in .html`, 'for example: -o report.html');
  }
  // Real paths and inodes: a symlink or hard link to a results file is that file.
  const { checkOutputs } = await import('../results/output-paths.js');
  await checkOutputs(
    inputs.map((input) => ({ path: input, role: 'a results file given to report on' })),
    [{ path: flags.out, role: 'HTML report', existing: 'overwrite' }],
  );
  // Loaded only when a report is made: liquidjs and the page assets are not start-up costs.
  const { writeReport, formatBytes } = await import('../report/html/build-report.js');
  const runs = [];
  for (const file of inputs) runs.push({ file, ...(flags.labelField !== undefined ? { agreement: await agreementOf(file, flags.labelField) } : {}) });
  // Pairwise rows naming their systems are ranked as `verdict rank` ranks them. --systems or
  // --baseline asks for a ranking, so a file that cannot be ranked is then an error.
  const ranking = {
    ...DEFAULT_RANKING,
    ...(flags.systems !== undefined ? { systems: flags.systems } : {}),
    ...(flags.baseline !== undefined ? { baseline: flags.baseline } : {}),
    required: flags.systems !== undefined || flags.baseline !== undefined,
  };
  const { bytes, data } = await writeReport(flags.out, runs, { ...(flags.prompt !== undefined ? { prompt: flags.prompt } : {}), ranking });
  if (!flags.quiet) {
    const rows = data.runs.map((run) => `${run.rows.length} rows of ${run.name}`).join(', ');
    io.stderr.write(`report: ${flags.out} (${formatBytes(bytes)}; ${rows})\n`);
  }
}

/** A file's agreement with the human labels in `labelField`, by `verdict stats`'s computation (its default bootstrap). */
async function agreementOf(file: string, labelField: string) {
  const { computeStats } = await import('../stats/run-stats.js');
  const { summary } = await computeStats({ files: [file], labelField, bootstrap: { resamples: 2000, seed: 1 } });
  if (summary.agreement === undefined) throw new UsageError(`${file}: no agreement could be computed with the label field "${labelField}"`);
  return summary.agreement;
}
