import type { Shard } from '../dataset/shard.js';
import type { Dataset } from '../dataset/types.js';
import { UsageError } from '../errors.js';
import type { JudgePrompt } from '../prompt/load.js';
import { manifestDifferences, manifestPath, readManifest, type RunManifest } from '../results/manifest.js';

/** How a run treats rows that existing results already cover. */
export type ContinueMode = 'fresh' | 'resume' | 'retry-errors';

/** Which rows this run grades, and what the user should be told about the files it continues. */
export interface ResumePlan {
  /** True for a row this run should not grade. */
  skip(id: string): boolean;
  /** Results files that existed and are continued (the first is read back for the summary). */
  continued: string[];
  notes: string[];
  manifest: RunManifest;
}

/** Everything that identifies the judge configuration of a run, for its manifest. */
export interface RunIdentity {
  prompt: JudgePrompt;
  model: string;
  dataset: Dataset;
  idField: string;
  shard?: Shard;
  /** `--repeat`: how many samples each record holds. */
  repeat?: number;
  /** `--field` aliases: which row fields the prompt's variables read. */
  fields?: Readonly<Record<string, string>>;
  /** What is sent besides the prompt (planParams); without it, the prompt's own settings. */
  params?: { temperature: number | null; reasoningEffort: string | null };
  /** A panel's --aggregate; absent for one judge. */
  aggregate?: string;
}

/**
 * Decides what a run grades. A fresh run grades everything (the sinks refuse to overwrite unless
 * --force). `--resume` skips rows graded without error; `--retry-errors` grades only rows whose
 * record is an error. Either refuses, unless --force, to continue results of another judge
 * configuration or dataset, as the manifest beside the results records them.
 */
export async function planResume(mode: ContinueMode, outputs: string[], identity: RunIdentity, force: boolean): Promise<ResumePlan> {
  const manifest: RunManifest = {
    version: 1,
    judge: {
      prompt: identity.prompt.name,
      prompt_sha: identity.prompt.sha,
      model: identity.model,
      mode: identity.prompt.settings.mode,
      temperature: identity.params ? identity.params.temperature : (identity.prompt.settings.temperature ?? 0),
      max_tokens: identity.prompt.settings.max_tokens,
      reasoning_effort: identity.params?.reasoningEffort ?? identity.prompt.settings.reasoning_effort ?? null,
      repeat: identity.repeat ?? 1,
      fields: Object.entries(identity.fields ?? {}).map(([variable, path]) => `${variable}=${path}`).join(','),
      aggregate: identity.aggregate ?? null,
      pair: identity.prompt.settings.mode === 'pairwise' ? `${identity.prompt.settings.pair.a},${identity.prompt.settings.pair.b}` : null,
    },
    dataset: { file: identity.dataset.file, sha256: await identity.dataset.digest() },
    id_field: identity.idField,
    shard: identity.shard ? `${identity.shard.index}/${identity.shard.count}` : null,
    adaptations: [],
    updated_at: new Date().toISOString(),
  };
  if (mode === 'fresh') return { skip: () => false, continued: [], notes: [], manifest };
  // Only a continued run reads and compacts earlier results (and loads the CSV reader for them).
  const [{ findOtherJudge }, { prepareResume }] = await Promise.all([import('../results/other-judge.js'), import('../results/resume.js')]);

  const earlier = await readManifest(manifestPath(outputs[0]!));
  const notes: string[] = [];
  if (earlier) {
    const differences = manifestDifferences(earlier, manifest);
    if (differences.length > 0 && !force) {
      throw new UsageError(
        `${outputs[0]} was graded with a different configuration: ${differences.join('; ')}`,
        'write to a new results file, or pass --force to continue it anyway and mix the two',
      );
    }
    if (differences.length > 0) notes.push(`continuing despite a changed configuration (--force): ${differences.join('; ')}`);
  }

  // Without a manifest the records themselves say who graded them; checked before anything is compacted.
  const other = earlier ? undefined : await findOtherJudge(outputs, manifest.judge);
  if (other && !force) {
    throw new UsageError(
      `${other.file} holds records graded by another judge (${describeJudge(other.judge)}, not ${describeJudge(manifest.judge)}) and has no manifest`,
      'write to a new results file, or pass --force to continue it anyway and mix the two',
    );
  }
  if (other) notes.push(`continuing despite records of another judge in ${other.file} (--force): ${describeJudge(other.judge)}`);

  const state = await prepareResume(outputs, { stamp: new Date().toISOString().replace(/[:.]/g, '-'), votesToo: mode === 'retry-errors' });
  if (state.existing.length > 0 && !earlier) {
    notes.push(`no manifest beside ${outputs[0]}: the judge configuration of its records could not be checked`);
  }
  notes.push(...state.notes);
  if (mode === 'retry-errors') {
    if (state.existing.length === 0) {
      throw new UsageError(`--retry-errors needs an existing results file, and ${outputs.join(', ')} does not exist`);
    }
    return { skip: (id) => !state.errored.has(id), continued: state.existing, notes, manifest };
  }
  return { skip: (id) => state.graded.has(id), continued: state.existing, notes, manifest };
}

function describeJudge(judge: { prompt: string; prompt_sha: string; model: string }): string {
  return `prompt ${judge.prompt} sha ${judge.prompt_sha.slice(0, 12)} on ${judge.model}`;
}
