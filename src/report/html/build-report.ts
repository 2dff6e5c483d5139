import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { compareRuns } from './compare-runs.js';
import { loadRunView, type RunInput } from './load-run.js';
import { renderPage } from './page.js';
import { DEFAULT_RANKING, rankingOf, type RankingRequest } from './ranking-view.js';
import type { ReportData } from './report-data.js';
import { TextPool } from './text-pool.js';

/** Options of {@link buildReport}. */
export interface BuildReportOptions {
  /** A judge prompt file (or built-in name) to render the judge input with, before the one the records name. */
  prompt?: string;
  /** The time the report says it was made; now by default. */
  now?: Date;
  /** How to rank the systems of pairwise rows; by default `verdict rank`'s defaults, for the files whose rows name them. */
  ranking?: RankingRequest;
}

/** Builds the report of one results file, or the side-by-side comparison of two. */
export async function buildReport(inputs: RunInput[], options: BuildReportOptions = {}): Promise<{ html: string; data: ReportData }> {
  if (inputs.length === 0 || inputs.length > 2) {
    throw new UsageError(
      `a report covers one results file, or two to compare; ${inputs.length} were given`,
      'join the shards of one run with "verdict merge" first',
    );
  }
  const pool = new TextPool();
  const runs = [];
  for (const input of inputs) {
    const view = await loadRunView(input, pool, options.prompt !== undefined ? { prompt: options.prompt } : {});
    runs.push({ ...view, ...(await rankingOf(input.file, view.summary, options.ranking ?? DEFAULT_RANKING)) });
  }
  const data: ReportData = {
    version: 1,
    generated_at: (options.now ?? new Date()).toISOString(),
    runs,
    texts: pool.texts,
    comparison: runs.length === 2 ? compareRuns(runs[0]!, runs[1]!) : null,
  };
  return { html: renderPage(data), data };
}

/** Builds the report and writes it whole (a temporary file, then a rename): never half a page. */
export async function writeReport(file: string, inputs: RunInput[], options: BuildReportOptions = {}): Promise<{ bytes: number; data: ReportData }> {
  const { html, data } = await buildReport(inputs, options);
  await mkdir(path.dirname(path.resolve(file)), { recursive: true });
  const partial = `${file}.partial`;
  await writeFile(partial, html);
  await rename(partial, file);
  return { bytes: Buffer.byteLength(html), data };
}

/** 1.2 MB, 340 kB */
export function formatBytes(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(bytes / 1000))} kB`;
}
