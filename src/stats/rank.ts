import * as z from 'zod';
import { UsageError } from '../errors.js';
import { bootstrapIntervals, type BootstrapOptions } from './bootstrap.js';
import { eloRatings, expectedScore, unlinkedToBaseline, winMatrix } from './bradley-terry.js';
import { lengthControlledWinRates } from './length-control.js';
import { readBattles, type BattleSet, type SystemFields } from './read-battles.js';
import type { PairPaths } from './pair-texts.js';

const interval = z.tuple([z.number(), z.number()]).nullable();
const share = z.number().min(0).max(1);

/** One system's line of the ranking. */
export const RankedSystem = z.object({
  rank: z.number().int().positive(),
  system: z.string(),
  /** Battles it took part in. */
  battles: z.number().int().nonnegative(),
  /** Bradley-Terry rating on the Elo scale, the baseline at 1000, and its bootstrap interval. */
  elo: z.number(),
  elo_ci95: interval,
  /** Its battles against the baseline, and its share of them won (a tie half), with the bootstrap interval; null without any. */
  vs_baseline: z.number().int().nonnegative(),
  win_rate: share.nullable(),
  win_rate_ci95: interval,
  /** The chance of beating the baseline that the ratings imply (Arena-Hard's score). */
  predicted_win_rate: share,
  /** With --length-control: the win rate against the baseline with the length difference held at zero. */
  length_controlled_win_rate: share.optional(),
  length_controlled_ci95: interval.optional(),
});
export type RankedSystem = z.infer<typeof RankedSystem>;

/** What `verdict rank --json` prints. */
export const Ranking = z.object({
  baseline: z.string(),
  battles: z.number().int().nonnegative(),
  /** Records that decided nothing (an error, no verdict), and records pitting a system against itself. */
  undecided: z.number().int().nonnegative(),
  self_battles: z.number().int().nonnegative(),
  /** Records replaced by a later record of the same id and systems. */
  replaced: z.number().int().nonnegative(),
  bootstrap: z.object({ resamples: z.number().int().nonnegative(), seed: z.number().int().nonnegative() }),
  /** With --length-control: log-odds of a win per unit of tanh(standardised length difference). */
  length_coefficient: z.number().optional(),
  length_coefficient_ci95: interval.optional(),
  systems: z.array(RankedSystem),
});
export type Ranking = z.infer<typeof Ranking>;

/** What `verdict rank` is asked for. */
export interface RankOptions {
  files: string[];
  systems: SystemFields;
  /** The system the others are rated against; by default the one in the most battles. */
  baseline?: string;
  lengthControl: boolean;
  pair?: PairPaths;
  bootstrap: BootstrapOptions;
}

/** Reads pairwise results files and ranks the systems they compare. */
export async function rankSystems(options: RankOptions): Promise<Ranking> {
  const set = await readBattles({ files: options.files, systems: options.systems, lengths: options.lengthControl, pair: options.pair });
  return rankBattles(set, options);
}

/** The ranking of a set of battles: ratings, win rates against the baseline, intervals from one seeded bootstrap over battles. */
function rankBattles(set: BattleSet, options: Pick<RankOptions, 'baseline' | 'lengthControl' | 'bootstrap'>): Ranking {
  const { systems, battles } = set;
  if (battles.length === 0) throw new UsageError('no decided pairwise verdicts to rank: every record is an error, has no verdict, or compares a system with itself');
  const battleCounts = systems.map((_, i) => battles.filter((battle) => battle.a === i || battle.b === i).length);
  const baseline = options.baseline === undefined ? chooseBaseline(systems, battleCounts) : systems.indexOf(options.baseline);
  if (baseline < 0) throw new UsageError(`--baseline ${options.baseline} is not one of the systems: ${systems.join(', ')}`);
  if (systems.length < 2) throw new UsageError(`only one system (${systems[0]}) in the battles: nothing to rank`);

  const wins = winMatrix(battles, systems.length);
  const unlinked = unlinkedToBaseline(wins, baseline);
  if (unlinked.length > 0) {
    throw new UsageError(`no chain of battles links ${unlinked.map((i) => systems[i]).join(', ')} to the baseline ${systems[baseline]}, so nothing rates them against it`);
  }
  const elo = eloRatings(wins, baseline);
  if (elo === null) {
    const neverWon = (i: number) => wins[i]!.every((w) => w === 0);
    const neverLost = (i: number) => wins.every((row) => row[i] === 0);
    const extreme = systems.filter((_, i) => neverWon(i) || neverLost(i));
    throw new UsageError(
      `the ratings are unbounded: ${extreme.join(', ') || 'a group of systems'} won, or lost, every battle against the rest`,
      'Bradley-Terry needs every system to win and lose at least once (a tie counts as half of each); add battles',
    );
  }
  const lengthControlled = options.lengthControl ? lengthControlledWinRates(battles, systems.length, baseline) : null;
  if (options.lengthControl && lengthControlled === null) throw new UsageError('the length-controlled fit did not converge on these battles');

  const winRateOf = (matrix: number[][], i: number): number | null => {
    const total = matrix[i]![baseline]! + matrix[baseline]![i]!;
    return total === 0 ? null : matrix[i]![baseline]! / total;
  };
  const keys = systems.flatMap((_, i) => [`elo${i}`, `win${i}`, ...(options.lengthControl ? [`lc${i}`] : [])]).concat(options.lengthControl ? ['gamma'] : []);
  const intervals = bootstrapIntervals(
    battles.length,
    (indices) => {
      const resampled = winMatrix(battles, systems.length, indices);
      const ratings = eloRatings(resampled, baseline);
      const lc = options.lengthControl ? lengthControlledWinRates(battles, systems.length, baseline, indices) : null;
      const values: Record<string, number | null> = { gamma: lc?.lengthCoefficient ?? null };
      systems.forEach((_, i) => {
        values[`elo${i}`] = ratings?.[i] ?? null;
        values[`win${i}`] = winRateOf(resampled, i);
        values[`lc${i}`] = lc?.winRates[i] ?? null;
      });
      return values;
    },
    keys,
    options.bootstrap,
  );

  const ranked = systems
    .map((system, i) => ({
      rank: 0,
      system,
      battles: battleCounts[i]!,
      elo: elo[i]!,
      elo_ci95: i === baseline ? null : intervals[`elo${i}`]!,
      vs_baseline: i === baseline ? 0 : battles.filter((battle) => (battle.a === i && battle.b === baseline) || (battle.a === baseline && battle.b === i)).length,
      win_rate: i === baseline ? null : winRateOf(wins, i),
      win_rate_ci95: i === baseline ? null : intervals[`win${i}`]!,
      predicted_win_rate: expectedScore(elo[i]!, elo[baseline]!),
      ...(lengthControlled
        ? { length_controlled_win_rate: lengthControlled.winRates[i]!, length_controlled_ci95: i === baseline ? null : intervals[`lc${i}`]! }
        : {}),
    }))
    .sort((x, y) => y.elo - x.elo)
    .map((line, position) => ({ ...line, rank: position + 1 }));
  return Ranking.parse({
    baseline: systems[baseline]!,
    battles: battles.length,
    undecided: set.undecided,
    self_battles: set.selfBattles,
    replaced: set.replaced,
    bootstrap: { resamples: options.bootstrap.resamples, seed: options.bootstrap.seed },
    ...(lengthControlled ? { length_coefficient: lengthControlled.lengthCoefficient, length_coefficient_ci95: intervals.gamma! } : {}),
    systems: ranked,
  });
}

/** The system in the most battles (the first named on a tie): the best-measured yardstick. */
function chooseBaseline(systems: readonly string[], battleCounts: readonly number[]): number {
  let best = 0;
  systems.forEach((_, i) => {
    if (battleCounts[i]! > battleCounts[best]!) best = i;
  });
  return best;
}
