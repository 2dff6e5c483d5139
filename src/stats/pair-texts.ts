import { promptBindingsOf, readManifestBeside, type RunManifest } from '../results/manifest.js';

/** Where a pairwise row holds its two answers: row paths (dotted for nested), A first. */
export interface PairPaths {
  a: string;
  b: string;
}

/** The fields a pairwise prompt compares when nothing names others (SPEC.md "Judge prompt files"). */
export const DEFAULT_PAIR_PATHS: PairPaths = { a: 'output_a', b: 'output_b' };

/** The value at a dotted path of a row, or undefined where there is none. */
export function valueAtPath(row: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * An answer's length in characters (Unicode code points, so an emoji or a CJK character counts
 * once); null for a value that is not text. Characters, not tokens: tokens would need the judged
 * model's tokenizer, and AlpacaEval's length control counts characters too.
 */
export function answerLength(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  let length = 0;
  for (const _ of value) length++;
  return length;
}

/**
 * The row paths of a results file's two answers, as the run that wrote it rendered them: the
 * manifest's `pair` (from --pair or the prompt), each resolved through its `--field` alias; the
 * default pair when there is no manifest or it is of another judge.
 */
export async function pairPathsOf(resultsFile: string, promptSha?: string): Promise<PairPaths> {
  return pairPathsIn(await readManifestBeside(resultsFile), promptSha);
}

/** As pairPathsOf, from a manifest already read. */
export function pairPathsIn(manifest: RunManifest | undefined, promptSha?: string): PairPaths {
  if (manifest === undefined || (promptSha !== undefined && manifest.judge.prompt_sha !== promptSha)) return DEFAULT_PAIR_PATHS;
  return pairPathsFromManifest(manifest);
}

/** The row paths of the two answers a manifest's run compared; the default pair when it names none. */
export function pairPathsFromManifest(manifest: RunManifest): PairPaths {
  const { pair, fields } = promptBindingsOf(manifest);
  if (!pair) return DEFAULT_PAIR_PATHS;
  const aliased = (name: string) => (Object.hasOwn(fields, name) ? fields[name]! : name);
  return { a: aliased(pair.a), b: aliased(pair.b) };
}
