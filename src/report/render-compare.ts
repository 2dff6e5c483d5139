import type { Comparison, CompareSide } from '../stats/comparison-schema.js';
import { integer } from './format.js';
import type { RenderOptions } from './render-summary.js';
import { Pen, pValue, type Style } from './render-pen.js';
import type { Part } from './terminal-line.js';

const VALUE_NAMES: Record<string, string> = {
  score: 'score',
  pass: 'pass rate',
  verdict: 'verdict (A = 1, tie = 0.5, B = 0)',
};

/** Renders `verdict compare a b` as a text block. */
export function renderComparison(comparison: Comparison, options: RenderOptions): string {
  const pen = new Pen(options);
  const side = (name: string, s: CompareSide): Part<Style>[] => [{ text: `${name}: ${s.file}` }, { text: s.models.join(', ') }, { text: s.prompts.join(', ') }];
  pen.line('compare', side('a', comparison.a));
  pen.line('', side('b', comparison.b));

  const paired: Part<Style>[] = [{ text: `${integer(comparison.n)} ids in both` }];
  if (comparison.only_in_a > 0) paired.push({ text: `${integer(comparison.only_in_a)} only in a` });
  if (comparison.only_in_b > 0) paired.push({ text: `${integer(comparison.only_in_b)} only in b` });
  const { errored } = comparison;
  if (errored.a + errored.b > 0) paired.push({ text: `errors left out: ${integer(errored.a)} in a, ${integer(errored.b)} in b`, style: 'yellow' });
  if (comparison.no_value > 0) paired.push({ text: `${integer(comparison.no_value)} without the value left out` });
  pen.line('paired', paired);

  const name = VALUE_NAMES[comparison.value] ?? comparison.value;
  const decimals = comparison.value === 'score' || comparison.value.startsWith('criteria.') ? 2 : 3;
  const plain = (x: number) => x.toFixed(decimals);
  const signed = (x: number) => `${x > 0 ? '+' : x < 0 ? (pen.unicode ? '−' : '-') : ''}${Math.abs(x).toFixed(decimals)}`;
  if (comparison.mean_diff !== null && comparison.mean_a !== null && comparison.mean_b !== null) {
    pen.line('mean', [
      { text: `${name}: a ${plain(comparison.mean_a)}` },
      { text: `b ${plain(comparison.mean_b)}` },
      { text: `b ${pen.unicode ? '−' : '-'} a ${signed(comparison.mean_diff)}` },
      ...pen.interval(comparison.mean_diff_ci95, signed),
    ]);
  }
  pen.line('b vs a', [{ text: `higher ${integer(comparison.wins)}` }, { text: `equal ${integer(comparison.ties)}` }, { text: `lower ${integer(comparison.losses)}` }]);
  const nonTies = comparison.wins + comparison.losses;
  pen.line(
    'sign test',
    comparison.sign_test_p === null
      ? [{ text: 'no id differs: nothing to test', style: 'dim' }]
      : [{ text: `p = ${pValue(comparison.sign_test_p)}` }, ...pen.words(`(exact, two-sided, over the ${integer(nonTies)} ids that differ)`, 'dim').map((part, i) => (i === 0 ? { ...part, glue: '  ' } : part))],
  );
  if (comparison.bootstrap !== null) {
    pen.line('interval', pen.words(`paired percentile bootstrap over the ids, ${integer(comparison.bootstrap.resamples)} resamples (seed ${comparison.bootstrap.seed})`, 'dim'));
  }
  return pen.text();
}
