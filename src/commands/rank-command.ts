import * as z from 'zod';
import type { Io } from '../io.js';
import { parseFlags } from './parse-flags.js';
import { DEFAULT_SYSTEM_FIELDS } from '../stats/rank-defaults.js';
import { baselineSystem, systemFields, twoFields } from './rank-flags.js';
import { bootstrapResamples, seed } from './stats-flags.js';

/** `verdict rank`'s flags after parsing. */
const RankFlags = z.object({
  files: z.array(z.string().min(1)).min(1, 'give at least one results file'),
  systems: systemFields.default(DEFAULT_SYSTEM_FIELDS),
  baseline: baselineSystem.optional(),
  lengthControl: z.boolean().default(false),
  pair: twoFields('--pair').optional(),
  // Each resample refits the ratings: fewer than stats allows.
  bootstrap: bootstrapResamples(100_000),
  seed,
  json: z.boolean().default(false),
});

/** `verdict rank <results...>` (its flags: rank-definition.ts): ranks the systems pairwise results compare. */
export async function rankAction(files: string[], raw: Record<string, unknown>, io: Io): Promise<void> {
  const flags = parseFlags(RankFlags, { ...raw, files });
  const { rankSystems } = await import('../stats/rank.js');
  const ranking = await rankSystems({
    files: flags.files,
    systems: flags.systems,
    baseline: flags.baseline,
    lengthControl: flags.lengthControl,
    pair: flags.pair,
    bootstrap: { resamples: flags.bootstrap, seed: flags.seed },
  });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(ranking, null, 2)}\n`);
    return;
  }
  const { renderRanking } = await import('../report/render-rank.js');
  const { terminalRenderOptions } = await import('../report/render-summary.js');
  io.stdout.write(renderRanking(ranking, terminalRenderOptions(io.stdout, io.env)));
}
