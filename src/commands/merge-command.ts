import * as z from 'zod';
import type { Io } from '../io.js';
import { parseFlags } from './parse-flags.js';

/** `verdict merge`'s flags after parsing (commander leaves absent ones undefined). */
const MergeFlags = z.object({
  inputs: z.array(z.string()),
  out: z.array(z.string()).default(['results.jsonl']),
  summary: z.string().optional(),
  force: z.boolean().default(false),
  quiet: z.boolean().default(false),
});

/** `verdict merge <results...> -o <file>` (its flags: merge-definition.ts): join shard results into one file and one summary. */
export async function mergeAction(inputs: string[], raw: Record<string, unknown>, io: Io): Promise<void> {
  const flags = parseFlags(MergeFlags, { ...raw, inputs });
  const { mergeWithSummary } = await import('../stats/merge-summary.js');
  const { summary, records } = await mergeWithSummary(flags.inputs, flags.out, {
    force: flags.force,
    summary: flags.summary,
    onNote: (message) => io.stderr.write(`verdict: ${message}\n`),
  });
  const { writeSummaryFile } = await import('../report/end-of-run.js');
  if (flags.summary) await writeSummaryFile(flags.summary, summary);
  if (!flags.quiet) {
    const { renderSummary, terminalRenderOptions } = await import('../report/render-summary.js');
    io.stderr.write(renderSummary(summary, terminalRenderOptions(io.stderr, io.env)));
    io.stderr.write(`merged ${records} records from ${flags.inputs.length} files into ${flags.out.join(', ')}\n`);
  }
}
