/** Number formats shared by the terminal summary and the GitHub step summary, so both read alike. */

/**
 * 12,345. Grouped by hand rather than with toLocaleString: the first call into Intl makes node page
 * in ICU's locale data, about 6 MB of resident memory for the rest of the run, for a comma.
 */
export function integer(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  // At most three decimals, trailing zeros dropped, as en-US formats them.
  const [whole = '', fraction = ''] = Math.abs(n).toFixed(3).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  const decimals = fraction.replace(/0+$/, '');
  const text = decimals === '' ? grouped : `${grouped}.${decimals}`;
  return n < 0 ? `-${text}` : text;
}

/**
 * Orders strings by their UTF-16 code units: the same order on every machine, whatever its locale,
 * and without localeCompare, whose first call pages in ICU's collation data (~2.5 MB resident).
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
