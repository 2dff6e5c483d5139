import { fitLogistic } from './logistic.js';

/**
 * Bradley-Terry ratings on the Elo scale, fitted as Chatbot Arena and Arena-Hard-Auto (v0.1,
 * show_result.py `compute_mle_elo`) fit them: logistic regression without intercept on rows
 * +ln 10 for the first system and -ln 10 for the second, a tie counted as half a win (they
 * duplicate every battle and make one copy of a tie a win, the other a loss), maximum likelihood
 * without penalty, then 400 * coefficient, shifted so that the baseline is at 1000. The fit here
 * works on the win counts of each pair of systems, which is the same likelihood in fewer rows.
 */

/** One comparison: the two systems (indices), and the first's score (1 won, 0.5 tie, 0 lost). */
export interface Battle {
  a: number;
  b: number;
  score: number;
}

/** Elo points per unit of log10 odds, and where the baseline sits. */
const ELO_SCALE = 400;
const ELO_ANCHOR = 1000;

/** Wins of system i over system j (ties as half to each), over the battles or the resample `indices` picks. */
export function winMatrix(battles: readonly Battle[], systems: number, indices?: ArrayLike<number>): number[][] {
  const wins = Array.from({ length: systems }, () => new Array<number>(systems).fill(0));
  const count = indices ? indices.length : battles.length;
  for (let n = 0; n < count; n++) {
    const battle = battles[indices ? indices[n]! : n]!;
    wins[battle.a]![battle.b]! += battle.score;
    wins[battle.b]![battle.a]! += 1 - battle.score;
  }
  return wins;
}

/**
 * Systems that no chain of battles links to the baseline: their ratings would mean nothing, since
 * nothing compares them with it.
 */
export function unlinkedToBaseline(wins: readonly (readonly number[])[], baseline: number): number[] {
  const reached = new Set([baseline]);
  const queue = [baseline];
  while (queue.length > 0) {
    const i = queue.pop()!;
    wins[i]!.forEach((_, j) => {
      if (!reached.has(j) && wins[i]![j]! + wins[j]![i]! > 0) {
        reached.add(j);
        queue.push(j);
      }
    });
  }
  return wins.map((_, i) => i).filter((i) => !reached.has(i));
}

/**
 * Elo-scale ratings of every system from the pairwise win counts, the baseline at 1000; null when
 * the maximum-likelihood ratings are unbounded (a system that beat, or lost to, every system it
 * met, ties aside) or not all systems are linked to the baseline.
 */
export function eloRatings(wins: readonly (readonly number[])[], baseline: number): number[] | null {
  const systems = wins.length;
  if (unlinkedToBaseline(wins, baseline).length > 0) return null;
  // The baseline's coefficient is fixed at 0 (its column dropped), which pins the scale's origin.
  const column = (i: number) => (i < baseline ? i : i - 1);
  const rows: number[][] = [];
  const targets: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < systems; i++) {
    for (let j = i + 1; j < systems; j++) {
      const total = wins[i]![j]! + wins[j]![i]!;
      if (total === 0) continue;
      const x = new Array<number>(systems - 1).fill(0);
      if (i !== baseline) x[column(i)] = Math.LN10;
      if (j !== baseline) x[column(j)] = -Math.LN10;
      rows.push(x);
      targets.push(wins[i]![j]! / total);
      weights.push(total);
    }
  }
  if (systems === 1) return [ELO_ANCHOR];
  const fit = fitLogistic({ rows, targets, weights });
  if (!fit.converged) return null;
  return Array.from({ length: systems }, (_, i) => (i === baseline ? ELO_ANCHOR : ELO_ANCHOR + ELO_SCALE * fit.coefficients[column(i)]!));
}

/** The chance that a system rated `rating` beats one rated `opponent`, by the Elo formula. */
export function expectedScore(rating: number, opponent: number): number {
  return 1 / (1 + 10 ** ((opponent - rating) / ELO_SCALE));
}
