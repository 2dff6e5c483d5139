import { UsageError } from '../errors.js';
import { lockFiles } from './lock.js';
import { openSinks } from './open-sinks.js';
import { checkOutputs } from './output-paths.js';
import type { ResultRecord } from './record.js';
import { readResults } from './read-results.js';

/** What a merge found and wrote. */
export interface MergeReport {
  records: number;
  /** The judge (model, prompt) of the merged records. */
  judge: ResultRecord['judge'];
}

/**
 * Joins results files (typically the shards of one run) into new results files. Refuses an id
 * found in two inputs (shards never overlap, so that is a mistake, not something to pick a winner
 * for) and, unless `force`, records graded by different judges. Streams: two passes, one to check
 * ids and collect the CSV columns, one to write.
 */
export async function mergeResults(
  inputs: string[],
  outputs: string[],
  options: { force: boolean; onRecord?: (record: ResultRecord) => void; summary?: string; onNote?: (message: string) => void },
): Promise<MergeReport> {
  if (inputs.length === 0) throw new UsageError('give at least one results file to merge');
  // No output may be an input (merging into one of the shards would empty it before it is read).
  const existing = options.force ? 'overwrite' : 'refuse';
  const hint = 'pass --force to replace it, or write somewhere else with -o';
  await checkOutputs(
    inputs.map((path) => ({ path, role: 'a results file to merge' })),
    [
      ...outputs.map((path) => ({ path, role: 'merged results file', existing, hint }) as const),
      ...(options.summary !== undefined ? [{ path: options.summary, role: 'summary', existing, hint } as const] : []),
    ],
  );
  const locks = await lockFiles(outputs, { command: 'verdict merge', onNote: options.onNote });
  try {
    return await mergeInto(inputs, outputs, options);
  } finally {
    await locks.release();
  }
}

async function mergeInto(
  inputs: string[],
  outputs: string[],
  options: { force: boolean; onRecord?: (record: ResultRecord) => void },
): Promise<MergeReport> {
  const owner = new Map<string, string>();
  const columns = new Set<string>();
  let judge: ResultRecord['judge'] | undefined;
  for (const input of inputs) {
    for await (const record of readInput(input)) {
      const earlier = owner.get(record.id);
      if (earlier !== undefined) {
        throw new UsageError(`id "${record.id}" is in both ${earlier} and ${input}`, 'shards of one run never share an id: check the files given');
      }
      owner.set(record.id, input);
      for (const key of Object.keys(record.row)) columns.add(key);
      judge ??= record.judge;
      if (!options.force && (record.judge.model !== judge.model || record.judge.prompt_sha !== judge.prompt_sha)) {
        throw new UsageError(
          `${input} has records graded by another judge (${record.judge.prompt} on ${record.judge.model}, not ${judge.prompt} on ${judge.model})`,
          'pass --force to merge them anyway',
        );
      }
    }
  }
  if (!judge) throw new UsageError(`no records in ${inputs.join(', ')}`);

  const sink = await openSinks(outputs, { force: options.force, rowColumns: [...columns] });
  try {
    for (const input of inputs) {
      for await (const record of readInput(input)) {
        await sink.write(record);
        options.onRecord?.(record);
      }
    }
  } finally {
    await sink.close();
  }
  return { records: owner.size, judge };
}

async function* readInput(path: string): AsyncGenerator<ResultRecord> {
  try {
    yield* readResults(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UsageError(`${path} does not exist`);
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path} is not a verdict results file: ${(error as Error).message.split('\n')[0]}`);
  }
}
