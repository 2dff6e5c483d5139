import type { RunOptions } from '../config.js';
import { STDIN_PATH } from '../dataset/open.js';
import { manifestPath } from '../results/manifest.js';
import { checkOutputs, type CommandInput, type CommandOutput, type ExistingRule } from '../results/output-paths.js';

type OutputFlags = Pick<RunOptions, 'dataset' | 'out' | 'reports' | 'summary' | 'force' | 'resume' | 'retryErrors'> & Partial<Pick<RunOptions, 'baseline' | 'markdown'>>;

/** Results files that exist are refused unless --force (replace) or --resume / --retry-errors (continue). */
function resultsRule(options: Pick<RunOptions, 'force' | 'resume' | 'retryErrors'>): ExistingRule {
  return options.force ? 'overwrite' : options.resume || options.retryErrors ? 'continue' : 'refuse';
}

/**
 * A --summary that exists is refused like a results file. A continued run (--resume) replaces it
 * when it is a verdict summary, the earlier summary of this same run, so a CI job that always passes
 * --resume --summary keeps working; anything else there still needs --force.
 */
function summaryRule(options: Pick<RunOptions, 'force' | 'resume' | 'retryErrors'>): ExistingRule {
  return options.force ? 'overwrite' : options.resume || options.retryErrors ? 'replace-summary' : 'refuse';
}

/** The hint for a results file that exists. */
const EXISTING_RESULTS_HINT = 'pass --resume to keep its graded rows and grade the rest, or write somewhere else with --out';

/**
 * `verdict run`'s (and `run --batch`'s) outputs checked against its inputs and each other, and for
 * being writable, before anything is read further or sent (see checkOutputs).
 */
export async function checkRunOutputs(options: OutputFlags, promptFile: string | undefined): Promise<void> {
  const inputs: CommandInput[] = [];
  if (options.dataset !== STDIN_PATH) inputs.push({ path: options.dataset, role: 'the dataset' });
  if (promptFile !== undefined) inputs.push({ path: promptFile, role: 'the judge prompt' });
  if (options.baseline !== undefined) inputs.push({ path: options.baseline, role: 'the baseline results file' });
  const outputs: CommandOutput[] = options.out.map((path) => ({ path, role: 'results file', existing: resultsRule(options), hint: EXISTING_RESULTS_HINT }));
  outputs.push({ path: manifestPath(options.out[0]!), role: 'run manifest', existing: 'overwrite' });
  for (const path of options.reports) outputs.push({ path, role: 'HTML report', existing: 'overwrite' });
  if (options.markdown !== undefined) outputs.push({ path: options.markdown, role: 'comparison Markdown', existing: 'overwrite' });
  if (options.summary !== undefined) {
    outputs.push({ path: options.summary, role: 'summary', existing: summaryRule(options), hint: 'write the summary somewhere else, or pass --force to replace it' });
  }
  await checkOutputs(inputs, outputs);
}
