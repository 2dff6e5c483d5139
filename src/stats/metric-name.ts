import type { Comparison } from './comparison-schema.js';

const METRIC_NAMES: Record<Comparison['metric'], string> = { mean: 'mean score', pass_rate: 'pass rate', win_rate: 'win rate of A' };

/** The figure a comparison compares, as a sentence names it: "mean score", "mean clarity", "pass rate", "win rate of A". */
export function metricName(comparison: Pick<Comparison, 'metric' | 'value'>): string {
  return comparison.value.startsWith('criteria.') ? `mean ${comparison.value.slice('criteria.'.length)}` : METRIC_NAMES[comparison.metric];
}
