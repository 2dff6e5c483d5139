import type { Io } from '../io.js';
import { parseFlags } from './parse-flags.js';
import { CompareFlags } from './stats-flags.js';

/** `verdict compare <a> <b>` (its flags: compare-definition.ts): two results files graded on the same ids, b against a. */
export async function compareAction(a: string, b: string, raw: Record<string, unknown>, io: Io): Promise<void> {
  const flags = parseFlags(CompareFlags, { ...raw, a, b });
  const { compareResults } = await import('../stats/run-compare.js');
  const comparison = await compareResults({
    a: flags.a,
    b: flags.b,
    criterion: flags.criterion,
    bootstrap: { resamples: flags.bootstrap, seed: flags.seed },
  });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    return;
  }
  const { renderComparison } = await import('../report/render-compare.js');
  const { terminalRenderOptions } = await import('../report/render-summary.js');
  io.stdout.write(renderComparison(comparison, terminalRenderOptions(io.stdout, io.env)));
}
