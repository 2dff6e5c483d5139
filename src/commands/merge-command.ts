import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Io } from '../cli.js';
import { retriesOf } from '../results/record.js';

/** `verdict merge <results...> -o <file>` (its flags: merge-definition.ts): join shard results into one file and one summary. */
export async function mergeAction(inputs: string[], raw: { out?: string[]; summary?: string; force?: boolean; quiet?: boolean }, io: Io): Promise<void> {
  const { mergeResults } = await import('../results/merge.js');
  const { SummaryAccumulator } = await import('../report/summary.js');
  const { pairPathsOf } = await import('../stats/pair-texts.js');
  // Pairwise shards: the answers the first shard's run compared, for the longer-answer share.
  const accumulator = new SummaryAccumulator(undefined, await pairPathsOf(inputs[0]!));
  let requests = 0;
  let retries = 0;
  const outputs = raw.out ?? ['results.jsonl'];
  const report = await mergeResults(inputs, outputs, {
    force: raw.force === true,
        summary: raw.summary,
        onNote: (message) => io.stderr.write(`verdict: ${message}\n`),
    onRecord: (record) => {
      accumulator.add(record);
      requests += record.attempts;
      retries += retriesOf(record);
    },
  });
  // Requests and retries are rebuilt from each record's attempts; 429s and wall time are not
  // recorded per row, so the merged summary reports them as 0.
  const summary = accumulator.finish({
    status: 'complete',
    rows: report.records,
    requests,
    retries,
    rateLimited: 0,
    wallMs: 0,
    model: report.judge.model,
    prompt: report.judge.prompt,
  });
  if (raw.summary) {
    await mkdir(path.dirname(path.resolve(raw.summary)), { recursive: true });
    await writeFile(raw.summary, `${JSON.stringify(summary, null, 2)}\n`);
  }
  if (!raw.quiet) {
    const { renderSummary } = await import('../report/render-summary.js');
    const color = io.stderr.isTTY === true && !io.env.NO_COLOR;
    io.stderr.write(renderSummary(summary, { color, width: Math.min(io.stderr.columns ?? 80, 100) }));
    io.stderr.write(`merged ${report.records} records from ${inputs.length} files into ${outputs.join(', ')}\n`);
  }
}
