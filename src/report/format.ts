/** Number formats shared by the terminal summary and the GitHub step summary, so both read alike. */

/** 12,345 */
export function integer(n: number): string {
  return n.toLocaleString('en-US');
}

/** Decimals for a mean score: scores on a 0..1 scale need a third to be told apart. */
export function scoreDecimals(mean: number): number {
  return Math.abs(mean) < 1 ? 3 : 2;
}

/** 0.523 → "52.3%" */
export function percent(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

/** $0.0123 below a dollar, $12.34 above. */
export function usd(cost: number): string {
  return `$${cost.toFixed(cost < 1 ? 4 : 2)}`;
}

/** 8.2s, 4m 05s, 1h 02m */
export function duration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.round(seconds);
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  return h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : `${m}m ${String(s).padStart(2, '0')}s`;
}
