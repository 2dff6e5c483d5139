/**
 * The exact two-sided sign test: under the null hypothesis each non-tied pair is equally likely to
 * go either way, so the wins among `wins + losses` are Binomial(n, 1/2), and the p-value is twice
 * the smaller tail, capped at 1 (scipy.stats.binomtest's two-sided p for p = 1/2, where the
 * distribution is symmetric). Null with no non-tied pairs: there is nothing to test.
 *
 * Summed here in log space rather than taken from jstat's binomial cdf, which rounds its result to
 * 1e-10 and so would report the p-value of a large, lopsided comparison as exactly 0.
 */
export function signTestP(wins: number, losses: number): number | null {
  if (!Number.isInteger(wins) || !Number.isInteger(losses) || wins < 0 || losses < 0) {
    throw new RangeError(`wins and losses must be whole numbers of 0 or more, got ${wins} and ${losses}`);
  }
  const n = wins + losses;
  if (n === 0) return null;
  const k = Math.min(wins, losses);
  // log P(X = i) for i = 0..k, from log P(X = 0) = -n log 2 and P(i + 1) / P(i) = (n - i) / (i + 1).
  const logTerms: number[] = [];
  let logTerm = -n * Math.LN2;
  for (let i = 0; i <= k; i++) {
    logTerms.push(logTerm);
    logTerm += Math.log(n - i) - Math.log(i + 1);
  }
  // The terms grow up to the mode n/2 and k <= n/2, so the last is the largest.
  const largest = logTerms[k]!;
  const tail = Math.exp(largest) * logTerms.reduce((sum, term) => sum + Math.exp(term - largest), 0);
  return Math.min(1, 2 * tail);
}
