import { mergeResults, type MergeReport } from '../results/merge.js';
import { panelAggregateIn, readManifestBeside } from '../results/manifest.js';
import { requestsOf, retriesOf } from '../results/record.js';
import { SummaryAccumulator, type Summary } from './summary.js';
import { pairPathsIn } from './pair-texts.js';

/**
 * `verdict merge`: joins results files (the shards of a run) and rebuilds one summary from the
 * records joined. Requests and retries come from each record's attempts; 429s and wall time are
 * not recorded per row, so the merged summary reports them as 0.
 */
export async function mergeWithSummary(
  inputs: string[],
  outputs: string[],
  options: { force: boolean; summary?: string; onNote?: (message: string) => void },
): Promise<MergeReport & { summary: Summary }> {
  // Pairwise shards: the answers the first shard's run compared, for the longer-answer share.
  // The first shard's manifest: the answers its run compared (for the longer-answer share) and a panel's aggregate.
  const manifest = await readManifestBeside(inputs[0]!);
  const accumulator = new SummaryAccumulator(undefined, pairPathsIn(manifest));
  let requests = 0;
  let retries = 0;
  const report = await mergeResults(inputs, outputs, {
    ...options,
    onRecord: (record) => {
      accumulator.add(record);
      requests += requestsOf(record);
      retries += retriesOf(record);
    },
  });
  const aggregate = panelAggregateIn(manifest);
  const summary = accumulator.finish({
    status: 'complete',
    rows: report.records,
    requests,
    retries,
    rateLimited: 0,
    wallMs: 0,
    model: report.judge.model,
    prompt: report.judge.prompt,
    ...(aggregate ? { aggregate } : {}),
  });
  return { ...report, summary };
}
