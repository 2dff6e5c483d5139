import type { Io } from '../io.js';
import { parseFlags } from './parse-flags.js';
import { CompareFlags } from './stats-flags.js';

/** `verdict compare <a> <b>` (its flags: compare-definition.ts): two results files graded on the same ids, b against a. */
export async function compareAction(a: string, b: string, raw: Record<string, unknown>, io: Io, setExitCode: (code: number) => void = () => {}): Promise<void> {
  const flags = parseFlags(CompareFlags, { ...raw, a, b });
  const { gatedCompare } = await import('../report/baseline-gate.js');
  const { comparison, code, failure } = await gatedCompare({
    base: flags.a,
    head: flags.b,
    criterion: flags.criterion,
    metric: flags.metric,
    bootstrap: { resamples: flags.bootstrap, seed: flags.seed },
    delta: flags.failIfWorse,
    markdown: flags.markdown,
  });
  setExitCode(code);
  if (failure !== undefined) io.stderr.write(`verdict: ${failure}\n`);
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
    return;
  }
  const { renderComparison } = await import('../report/render-compare.js');
  const { terminalRenderOptions } = await import('../report/render-summary.js');
  io.stdout.write(renderComparison(comparison, terminalRenderOptions(io.stdout, io.env)));
}
