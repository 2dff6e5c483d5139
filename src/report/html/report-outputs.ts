import path from 'node:path';

/** The extensions an HTML report is written with. */
const REPORT_EXTENSIONS = ['.html', '.htm'];
/** Results files a report can be built from (JUnit XML holds too little). */
const RECORD_EXTENSIONS = ['.jsonl', '.csv'];

/** Whether an output path names an HTML report rather than a results file. */
export function isReportPath(file: string): boolean {
  return REPORT_EXTENSIONS.includes(path.extname(file).toLowerCase());
}

/** The results file a run's report is built from: its first .jsonl or .csv output. */
export function reportSource(outputs: readonly string[]): string | undefined {
  return outputs.find((file) => RECORD_EXTENSIONS.includes(path.extname(file).toLowerCase()));
}

/**
 * Splits `verdict run -o` paths into results files and HTML reports. A report is not a sink: it is
 * written once the run ends, from the records on disk, so it needs a .jsonl or .csv results file.
 * When none is given, the default results file (results.jsonl) is written as well, just as when no
 * `-o` is given at all.
 */
export function splitReportOutputs(out: readonly string[] | undefined): { out: string[] | undefined; reports: string[] } {
  if (out === undefined) return { out: undefined, reports: [] };
  const reports = out.filter(isReportPath);
  const results = out.filter((file) => !isReportPath(file));
  if (reports.length === 0) return { out: [...out], reports };
  return { out: reportSource(results) === undefined ? [...results, 'results.jsonl'] : results, reports };
}
