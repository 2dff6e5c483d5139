import { extname } from 'node:path';
import { readResults } from './read-results.js';
import type { ResultRecord } from './record.js';

/** Where a results file first holds a record of another judge than `judge`. */
export interface OtherJudge {
  file: string;
  judge: ResultRecord['judge'];
}

/**
 * The first record, in the given results files, graded with another prompt (by its sha) or model
 * than `judge`. Every record carries its judge, so a results file without a manifest still tells.
 * A line that cannot be read ends the look at that file: `prepareResume` deals with damage.
 */
export async function findOtherJudge(files: readonly string[], judge: Pick<ResultRecord['judge'], 'model' | 'prompt_sha'>): Promise<OtherJudge | undefined> {
  for (const file of files) {
    if (extname(file).toLowerCase() === '.xml') continue;
    try {
      for await (const record of readResults(file)) {
        if (record.judge.prompt_sha !== judge.prompt_sha || record.judge.model !== judge.model) return { file, judge: record.judge };
      }
    } catch {
      // ENOENT (not created yet) or a damaged line: nothing more to learn here.
    }
  }
  return undefined;
}
