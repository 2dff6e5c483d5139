import * as z from 'zod';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { PanelAggregate } from './record.js';

/**
 * What a results file was graded with. `--resume` compares it with the run about to continue, so
 * records from two different judges (or datasets) are never mixed by accident.
 */
export const RunManifest = z.object({
  version: z.literal(1),
  judge: z.object({
    prompt: z.string(),
    prompt_sha: z.string(),
    model: z.string(),
    mode: z.string(),
    /** null: not sent, the model's default (reasoning models take only theirs). */
    temperature: z.number().nullable(),
    /** The answer's budget (the prompt's max_tokens); a reasoning judge is allowed more for its reasoning. */
    max_tokens: z.number(),
    /** `reasoning_effort` sent, or null when none was set; older manifests predate it. */
    reasoning_effort: z.string().nullable().default(null),
    /** Older manifests predate --repeat: their records hold one sample. */
    repeat: z.number().int().positive().default(1),
    /** Pairwise: the two answer fields, as "a,b"; null for other modes. */
    pair: z.string().nullable().default(null),
    /** `--field` aliases as "var=path,…" in order; empty without any. */
    fields: z.string().default(''),
    /** A panel's `--aggregate` (its judges' names are `model`, joined by ','); null for one judge, and in older manifests. */
    aggregate: z.string().nullable().default(null),
  }),
  dataset: z.object({ file: z.string(), sha256: z.string() }),
  id_field: z.string(),
  /** `k/n` for a shard's results, null for a whole run. */
  shard: z.string().nullable().default(null),
  /** What the run changed in its requests to suit the judge or the server (summary.adaptations); not part of the judge's identity. */
  adaptations: z.array(z.string()).default([]),
  updated_at: z.string(),
});
export type RunManifest = z.infer<typeof RunManifest>;

/** The manifest's path: beside the first results file. */
export function manifestPath(resultsPath: string): string {
  return `${resultsPath}.manifest.json`;
}

/** Reads a manifest; undefined when there is none, a UsageError when it is not one. */
export function readManifest(path: string): Promise<RunManifest | undefined> {
  return readJsonFile(path, RunManifest, 'a verdict run manifest', 'delete it to resume without the check, or pass --force');
}

/** The manifest beside a results file; undefined when there is none or it cannot be read (what reads it for figures goes on without). */
export function readManifestBeside(resultsPath: string): Promise<RunManifest | undefined> {
  return readManifest(manifestPath(resultsPath)).catch(() => undefined);
}

/** The `--pair` and `--field` bindings a manifest's run rendered its prompt with. */
export function promptBindingsOf(manifest: RunManifest): { pair?: { a: string; b: string }; fields: Record<string, string> } {
  const [a, b] = (manifest.judge.pair ?? '').split(',');
  const fields = manifest.judge.fields
    .split(',')
    .filter((binding) => binding.includes('='))
    .map((binding) => [binding.slice(0, binding.indexOf('=')), binding.slice(binding.indexOf('=') + 1)] as const);
  return { ...(a && b ? { pair: { a, b } } : {}), fields: Object.fromEntries(fields) };
}

/** The `--aggregate` of the panel a manifest's run was; undefined for one judge or without a manifest. */
export function panelAggregateIn(manifest: RunManifest | undefined): PanelAggregate | undefined {
  const aggregate = PanelAggregate.safeParse(manifest?.judge.aggregate);
  return aggregate.success ? aggregate.data : undefined;
}

/** Writes a manifest atomically (temporary file, then rename). */
export function writeManifest(path: string, manifest: z.input<typeof RunManifest>): Promise<void> {
  return writeJsonFile(path, manifest);
}

/** Human-readable differences that make two runs' records incomparable (the timestamp is not one). */
export function manifestDifferences(earlier: RunManifest, now: RunManifest): string[] {
  const differences: string[] = [];
  const judgeKeys = Object.keys(now.judge) as (keyof RunManifest['judge'])[];
  for (const key of judgeKeys) {
    if (earlier.judge[key] !== now.judge[key]) differences.push(`${key}: ${String(earlier.judge[key])} → ${String(now.judge[key])}`);
  }
  if (earlier.dataset.sha256 !== now.dataset.sha256) differences.push(`dataset content (${earlier.dataset.file} → ${now.dataset.file}) changed`);
  if (earlier.id_field !== now.id_field) differences.push(`id field: ${earlier.id_field} → ${now.id_field}`);
  if (earlier.shard !== now.shard) differences.push(`shard: ${earlier.shard ?? 'none'} → ${now.shard ?? 'none'}`);
  return differences;
}
