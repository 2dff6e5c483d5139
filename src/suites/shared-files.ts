import type { RunOptions } from '../config.js';
import { STDIN_PATH } from '../dataset/open.js';
import { manifestPath } from '../results/manifest.js';
import { identityOf, sameFile, type FileIdentity } from '../results/output-paths.js';
import type { SuiteKey } from './suite-file.js';

/** One file a suite reads or writes, with the suite key that names it. */
export interface SuiteFileUse {
  suite: string;
  key: SuiteKey;
  path: string;
  role: string;
  writes: boolean;
}

/** A file two suites would share in a way that loses something: the later suite's use, and the earlier one's. */
export interface SharedFile {
  later: SuiteFileUse;
  earlier: SuiteFileUse;
}

/** The files one suite's run reads and writes, as `verdict run` checks them for itself (run-outputs.ts). */
export function fileUses(suite: string, options: Pick<RunOptions, 'dataset' | 'out' | 'reports' | 'summary' | 'markdown' | 'baseline'>): SuiteFileUse[] {
  const use = (key: SuiteKey, path: string, role: string, writes: boolean): SuiteFileUse => ({ suite, key, path, role, writes });
  const uses = options.out.map((path) => use('out', path, 'results file', true));
  uses.push(use('out', manifestPath(options.out[0]!), 'run manifest', true));
  for (const path of options.reports) uses.push(use('out', path, 'HTML report', true));
  if (options.summary !== undefined) uses.push(use('summary', options.summary, 'summary', true));
  if (options.markdown !== undefined) uses.push(use('markdown', options.markdown, 'comparison Markdown', true));
  if (options.dataset !== STDIN_PATH) uses.push(use('dataset', options.dataset, 'dataset', false));
  if (options.baseline !== undefined) uses.push(use('baseline', options.baseline, 'baseline results file', false));
  return uses;
}

/**
 * The first file one suite writes that another suite also writes or reads (compared by real path
 * and by inode, as a single run's outputs are): suites run one after another, so a later suite
 * would overwrite an earlier one's results, or an earlier one the input a later one was checked with.
 */
export async function findSharedFile(uses: readonly SuiteFileUse[]): Promise<SharedFile | undefined> {
  const known: { use: SuiteFileUse; id: FileIdentity }[] = [];
  for (const use of uses) {
    const id = await identityOf(use.path);
    const clash = known.find((other) => other.use.suite !== use.suite && (other.use.writes || use.writes) && sameFile(other.id, id));
    if (clash) return { later: use, earlier: clash.use };
    known.push({ use, id });
  }
  return undefined;
}
