import { InputError, UsageError } from '../../errors.js';
import type { BootstrapOptions } from '../../stats/bootstrap.js';
import type { Ranking } from '../../stats/rank.js';
import { DEFAULT_SYSTEM_FIELDS, RANK_BOOTSTRAP } from '../../stats/rank-defaults.js';
import type { SystemFields } from '../../stats/read-battles.js';
import type { Summary } from '../../stats/summary.js';
import { rankingCounts, RATING_NOTE } from '../render-rank.js';

/** How a report ranks the systems of pairwise rows: `verdict rank`'s --systems and --baseline, and its bootstrap. */
export interface RankingRequest {
  systems: SystemFields;
  baseline?: string;
  bootstrap: BootstrapOptions;
  /** The user asked for a ranking (--systems or --baseline): a file that cannot be ranked is then an error, as in `verdict rank`. */
  required: boolean;
}

/** What a report ranks by when not told: the default fields, and only the files that have them. */
export const DEFAULT_RANKING: RankingRequest = { systems: { ...DEFAULT_SYSTEM_FIELDS }, bootstrap: { ...RANK_BOOTSTRAP }, required: false };

/** A run's ranking as the report holds it, and the notes under it (or why there is none). */
export interface RunRanking {
  ranking: Ranking | null;
  ranking_notes: string[];
}

/**
 * The ranking of one results file, by `verdict rank`'s own code, so the page shows what
 * `verdict rank --json` prints. None, and no notes, when the file is no ranking's business: its
 * results are not pairwise, or its rows do not name the two systems. Unless the user asked for a
 * ranking, a pairwise file that names its systems but cannot be ranked (one system, ratings with
 * no finite maximum) gets the reason as its note, and the report is still written.
 */
export async function rankingOf(file: string, summary: Summary, request: RankingRequest): Promise<RunRanking> {
  if (!request.required && summary.pairwise === undefined) return { ranking: null, ranking_notes: [] };
  const { rankSystems } = await import('../../stats/rank.js');
  try {
    const ranking = await rankSystems({
      files: [file],
      systems: request.systems,
      ...(request.baseline !== undefined ? { baseline: request.baseline } : {}),
      lengthControl: false,
      bootstrap: request.bootstrap,
    });
    return { ranking, ranking_notes: [rankingCounts(ranking), RATING_NOTE] };
  } catch (error) {
    if (request.required) throw error;
    const systemFields = [`row.${request.systems.a}`, `row.${request.systems.b}`];
    if (error instanceof InputError && (systemFields.includes(error.location.field ?? '') || error.location.field === 'verdict')) {
      return { ranking: null, ranking_notes: [] };
    }
    if (error instanceof UsageError) return { ranking: null, ranking_notes: [`No ranking: ${error.message}.`] };
    throw error;
  }
}
