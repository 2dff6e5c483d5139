import { access } from 'node:fs/promises';
import type { Summary } from '../../stats/summary.js';
import { reportSource } from './report-outputs.js';

/** What `verdict run` hands over when it ends, for its `-o report.html`. */
export interface RunReportRequest {
  /** The HTML files to write. */
  reports: string[];
  /** The run's results files; the report reads the first .jsonl or .csv. */
  outputs: string[];
  /** The run's own summary, so the report shows exactly the figures the terminal did; absent for --batch. */
  summary?: Summary;
  /** The run's --prompt, to render each row's judge input. */
  prompt: string;
  stderr: NodeJS.WritableStream;
  quiet: boolean;
}

/**
 * Writes a run's HTML reports from the results file it has just closed, whatever way the run ended
 * (a cancelled or failed run reports what it graded). The results are already safe on disk, so a
 * report that cannot be written is a warning, never a failed run.
 */
export async function writeRunReports(request: RunReportRequest): Promise<void> {
  const source = reportSource(request.outputs);
  const warn = (text: string) => request.stderr.write(`verdict: warning: ${text}\n`);
  if (source === undefined || !(await exists(source))) {
    warn(`no HTML report written: ${source ?? 'no .jsonl or .csv results file'} ${source ? 'was not written' : 'among the outputs'}`);
    return;
  }
  const { writeReport, formatBytes } = await import('./build-report.js');
  for (const file of request.reports) {
    try {
      const { bytes } = await writeReport(file, [{ file: source, ...(request.summary ? { summary: request.summary } : {}) }], { prompt: request.prompt });
      if (!request.quiet) request.stderr.write(`report: ${file} (${formatBytes(bytes)})\n`);
    } catch (error) {
      warn(`could not write the HTML report ${file}: ${(error as Error).message}`);
    }
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}
