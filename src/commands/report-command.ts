import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { UsageError } from '../errors.js';
import { isReportPath } from '../report/html/report-outputs.js';

/** `verdict report <results...> -o report.html`: one self-contained HTML page of one run, or of two compared. */
export function registerReportCommand(program: Command, io: Io): void {
  program
    .command('report')
    .description('write an HTML report of a results file, or a side-by-side comparison of two (opens offline)')
    .argument('<results...>', 'results files (.jsonl or .csv): one, or two to compare (A, then B)')
    .option('-o, --out <file>', 'the HTML file to write', 'report.html')
    .option('-p, --prompt <file|name>', "the judge prompt the rows were graded with, to show each row's judge input (default: the one the records name)")
    .option('--label-field <path>', "show each run's agreement with the human labels in this row field (dotted for nested), as verdict stats does")
    .option('--quiet', 'print nothing but errors')
    .action(async (inputs: string[], raw: { out: string; prompt?: string; labelField?: string; quiet?: boolean }) => {
      if (!isReportPath(raw.out)) {
        throw new UsageError(`cannot write a report to ${raw.out}: the file name must end in .html`, 'for example: -o report.html');
      }
      // Real paths and inodes: a symlink or hard link to a results file is that file.
      const { checkOutputs } = await import('../results/output-paths.js');
      await checkOutputs(
        inputs.map((input) => ({ path: input, role: 'a results file given to report on' })),
        [{ path: raw.out, role: 'HTML report', existing: 'overwrite' }],
      );
      // Loaded only when a report is made: liquidjs and the page assets are not start-up costs.
      const { writeReport, formatBytes } = await import('../report/html/build-report.js');
      const runs = [];
      for (const file of inputs) runs.push({ file, ...(raw.labelField !== undefined ? { agreement: await agreementOf(file, raw.labelField) } : {}) });
      const { bytes, data } = await writeReport(raw.out, runs, raw.prompt !== undefined ? { prompt: raw.prompt } : {});
      if (!raw.quiet) {
        const rows = data.runs.map((run) => `${run.rows.length} rows of ${run.name}`).join(', ');
        io.stderr.write(`report: ${raw.out} (${formatBytes(bytes)}; ${rows})\n`);
      }
    });
}

/** A file's agreement with the human labels in `labelField`, by `verdict stats`'s computation (its default bootstrap). */
async function agreementOf(file: string, labelField: string) {
  const { computeStats } = await import('../stats/run-stats.js');
  const { summary } = await computeStats({ files: [file], labelField, bootstrap: { resamples: 2000, seed: 1 } });
  if (summary.agreement === undefined) throw new UsageError(`${file}: no agreement could be computed with the label field "${labelField}"`);
  return summary.agreement;
}
