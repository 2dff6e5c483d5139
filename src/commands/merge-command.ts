import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { retriesOf } from '../results/record.js';

const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** `verdict merge <results...> -o <file>`: join shard results into one file and one summary. */
export function registerMergeCommand(program: Command, io: Io): void {
  program
    .command('merge')
    .description('join results files (the shards of a run) into one results file and one summary')
    .argument('<results...>', 'results files (.jsonl or .csv) to join')
    .option('-o, --out <file>', 'merged results file, .jsonl or .csv; repeatable (default: results.jsonl)', collect)
    .option('--summary <file>', 'also write the merged summary as JSON')
    .option('--force', 'overwrite the output; merge records of different judges')
    .option('--quiet', 'print nothing but errors')
    .action(async (inputs: string[], raw: { out?: string[]; summary?: string; force?: boolean; quiet?: boolean }) => {
      const { mergeResults } = await import('../results/merge.js');
      const { SummaryAccumulator } = await import('../report/summary.js');
      const accumulator = new SummaryAccumulator();
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
    });
}
