import { InputError, UsageError } from '../errors.js';
import type { LengthBattle } from './length-control.js';
import { answerLength, pairPathsOf, valueAtPath, type PairPaths } from './pair-texts.js';
import { readLocatedResults } from '../results/read-results.js';

/** The row fields that name the two systems of a pairwise row (`--systems`), A's first. */
export interface SystemFields {
  a: string;
  b: string;
}

/** What `verdict rank` reads from results files. */
export interface ReadBattlesOptions {
  files: string[];
  systems: SystemFields;
  /** Read the two answers' lengths (for --length-control): from these paths, else the run's manifest's pair. */
  lengths: boolean;
  pair?: PairPaths;
}

/** The battles of the files, the systems they name (by index), and the records that are no battle. */
export interface BattleSet {
  systems: string[];
  battles: LengthBattle[];
  /** Records with an error or no verdict: nothing was decided. */
  undecided: number;
  /** Records whose two systems are the same one. */
  selfBattles: number;
  /** Records replaced by a later record of the same id and systems (a resumed run). */
  replaced: number;
}

const SCORE_OF: Record<string, number> = { A: 1, B: 0, tie: 0.5 };

/**
 * Reads pairwise results into battles: each decided record is one, its verdict (in the dataset's
 * terms, A the row's first answer) the first system's score: A 1, tie 0.5, B 0. A later record of
 * the same id and the same two systems replaces an earlier one, as --resume does; the same id with
 * other systems is another battle, so files of different pairings can be ranked together.
 */
export async function readBattles(options: ReadBattlesOptions): Promise<BattleSet> {
  if (options.files.length === 0) throw new UsageError('give at least one results file');
  const index = new Map<string, number>();
  const systemIndex = (name: string) => {
    let i = index.get(name);
    if (i === undefined) index.set(name, (i = index.size));
    return i;
  };
  // Each id and pairing's last record: a battle, or why it is none.
  const byKey = new Map<string, LengthBattle | 'undecided' | 'self'>();
  let records = 0;
  for (const file of options.files) {
    let pair = options.pair;
    for await (const { record, location } of readLocatedResults(file)) {
      records++;
      const names = (['a', 'b'] as const).map((side) => {
        const field = options.systems[side];
        const value = valueAtPath(record.row, field);
        if ((typeof value !== 'string' || value.trim() === '') && typeof value !== 'number') {
          throw new InputError(
            { ...location, field: `row.${field}` },
            value === undefined ? 'the row does not name its system here' : `a system name must be text, not ${JSON.stringify(value)}`,
            'name the two row fields that hold the systems with --systems <a>,<b> (default model_a,model_b)',
          );
        }
        return String(value);
      }) as [string, string];
      const key = JSON.stringify([record.id, names[0], names[1]]);
      if (record.error !== null || record.verdict === null) {
        byKey.set(key, 'undecided');
        continue;
      }
      const score = SCORE_OF[record.verdict];
      if (score === undefined) throw new InputError({ ...location, field: 'verdict' }, `"${record.verdict}" is not a pairwise verdict (A, B or tie)`);
      if (names[0] === names[1]) {
        byKey.set(key, 'self');
        continue;
      }
      let lengthDifference = 0;
      if (options.lengths) {
        pair ??= await pairPathsOf(file, record.judge.prompt_sha);
        const [lengthA, lengthB] = [pair.a, pair.b].map((path) => {
          const length = answerLength(valueAtPath(record.row, path));
          if (length === null) {
            throw new InputError({ ...location, field: `row.${path}` }, 'length control needs the answer as text here', 'name the two answer fields with --pair <a>,<b>');
          }
          return length;
        }) as [number, number];
        lengthDifference = lengthA - lengthB;
      }
      byKey.set(key, { a: systemIndex(names[0]), b: systemIndex(names[1]), score, lengthDifference });
    }
  }
  if (records === 0) throw new UsageError(`no records in ${options.files.join(', ')}`);
  const outcomes = [...byKey.values()];
  const battles = outcomes.filter((outcome): outcome is LengthBattle => typeof outcome === 'object');
  const count = (what: string) => outcomes.filter((outcome) => outcome === what).length;
  return { systems: [...index.keys()], battles, undecided: count('undecided'), selfBattles: count('self'), replaced: records - byKey.size };
}
