/** The subset of a fetch `Headers` the hint readers need. */
export interface HeaderReader {
  get(name: string): string | null;
}

/**
 * How long the server asked us to wait, in ms: `retry-after-ms` (Azure, and what openai-node reads
 * first), then `retry-after` in seconds or as an HTTP date. Absent, negative or unparseable values
 * are hints we ignore, not errors.
 */
export function retryAfterMs(headers: HeaderReader | undefined, nowMs: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const ms = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Number.parseFloat(raw) * 1000;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
