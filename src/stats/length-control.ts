import type { Battle } from './bradley-terry.js';
import { fitLogistic, sigmoid } from './logistic.js';

/**
 * Length-controlled win rates against the baseline, after AlpacaEval 2 (Dubois et al. 2024,
 * "Length-Controlled AlpacaEval"; alpaca_eval/metrics/glm_winrate.py, read, not copied). AlpacaEval
 * fits a logistic regression of the judge's preference on a system term, tanh(length difference /
 * its standard deviation) and an instruction-difficulty term, then reports the predicted win
 * chance with the length term set to zero.
 *
 * Kept: the tanh of the standardised length difference (characters of the first answer minus the
 * second's, over the sample standard deviation of those differences), the soft target (a tie is
 * half a win), no intercept, and the prediction with the length term zeroed: sigmoid(theta_s -
 * theta_baseline).
 * Changed: one length coefficient shared by every system, fitted jointly with a Bradley-Terry term
 * per system over all the battles. AlpacaEval fits one per system and pins it down with battles of
 * deliberately verbose and concise versions of its baseline; here the other systems' battles
 * play that part, so a system that is always longer than the baseline can still be corrected.
 * Left out: the instruction-difficulty term (fitted once over many models' answers to AlpacaEval's
 * fixed instructions), and the L1 penalty chosen by cross-validation; in its place a fixed ridge
 * penalty with C = 100 (AlpacaEval's C when it does not cross-validate) keeps the fit finite when
 * length alone separates wins from losses. When it does so exactly (every battle won by the longer
 * answer, however small the difference) the likelihood has no maximum and the penalty, not the
 * data, splits the wins between the length and the system terms: the figure is then unreliable.
 */

/** A battle with the length difference of its two answers: characters of a's answer minus b's. */
export interface LengthBattle extends Battle {
  lengthDifference: number;
}

/** The ridge penalty, as sklearn's 1 / C. */
const LENGTH_CONTROL_L2 = 1 / 100;

/** Each system's length-controlled win rate against the baseline (the baseline's is 0.5), and the length coefficient. */
export interface LengthControlled {
  winRates: number[];
  /** Log-odds of a win per unit of tanh(standardised length difference): positive when longer answers win. */
  lengthCoefficient: number;
}

/**
 * The length-controlled win rates over `battles` (or the resample `indices` picks), for `systems`
 * systems; null without battles or a finite fit.
 */
export function lengthControlledWinRates(
  battles: readonly LengthBattle[],
  systems: number,
  baseline: number,
  indices?: ArrayLike<number>,
): LengthControlled | null {
  const picked = indices ? Array.from(indices, (i) => battles[i]!) : battles;
  if (picked.length === 0) return null;
  const sd = sampleSd(picked.map((battle) => battle.lengthDifference));
  // The baseline's column is dropped: its term is 0, the origin of the others.
  const column = (i: number) => (i < baseline ? i : i - 1);
  const lengthColumn = systems - 1;
  const rows = picked.map((battle) => {
    const x = new Array<number>(systems).fill(0);
    if (battle.a !== baseline) x[column(battle.a)]! += 1;
    if (battle.b !== baseline) x[column(battle.b)]! -= 1;
    x[lengthColumn] = sd > 0 ? Math.tanh(battle.lengthDifference / sd) : 0;
    return x;
  });
  const fit = fitLogistic({ rows, targets: picked.map((battle) => battle.score), l2: LENGTH_CONTROL_L2 });
  if (!fit.converged) return null;
  const winRates = Array.from({ length: systems }, (_, i) => (i === baseline ? 0.5 : sigmoid(fit.coefficients[column(i)]!)));
  return { winRates, lengthCoefficient: fit.coefficients[lengthColumn]! };
}

/** The sample standard deviation (n - 1), 0 for fewer than two values (pandas' .std(), which AlpacaEval uses). */
function sampleSd(values: readonly number[]): number {
  if (values.length < 2) return 0;
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  return Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1));
}
