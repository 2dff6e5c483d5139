import { InputError } from '../errors.js';
import type { RowFields } from '../dataset/types.js';
import type { PromptTemplate } from './template.js';

/** The names a pairwise prompt shows its two answers by, whichever row fields they come from. */
export const SHOWN_AS = { a: 'output_a', b: 'output_b' } as const;

/**
 * Wraps a pairwise prompt's template so that `{{ output_a }}` / `{{ output_b }}` are the row's
 * `pair.a` / `pair.b` fields (`render`), or the other way round (`renderSwapped`, the BA order).
 * A template that read the pair fields by their own names would not swap, and would silently
 * judge one order twice: that is refused when the prompt is loaded.
 */
export function pairTemplate(file: string, inner: PromptTemplate, pair: { a: string; b: string }): PromptTemplate {
  const used = new Set(inner.variables);
  for (const shown of [SHOWN_AS.a, SHOWN_AS.b]) {
    if (!used.has(shown)) {
      throw new InputError(
        { file, field: shown },
        `a pairwise prompt shows the two answers as {{ ${SHOWN_AS.a} }} and {{ ${SHOWN_AS.b} }}, and this one never uses {{ ${shown} }}`,
        pair.a === SHOWN_AS.a ? undefined : `the row fields they come from are set by pair: (here ${pair.a} and ${pair.b})`,
      );
    }
  }
  for (const field of [pair.a, pair.b]) {
    if (field !== SHOWN_AS.a && field !== SHOWN_AS.b && used.has(field)) {
      throw new InputError(
        { file, field },
        `the prompt reads {{ ${field} }} directly, so swapping the order would not move it`,
        `write {{ ${SHOWN_AS.a} }} / {{ ${SHOWN_AS.b} }} instead; pair: maps them to ${pair.a} / ${pair.b}`,
      );
    }
  }
  const withPair = (row: RowFields, first: string, second: string, where: { file: string; rowNumber: number; line?: number }): RowFields => {
    for (const field of [pair.a, pair.b]) {
      if (!Object.hasOwn(row, field)) {
        throw new InputError(
          { file: where.file, line: where.line, row: where.rowNumber, field },
          `the row has no field "${field}", which the prompt compares (pair: ${pair.a} / ${pair.b})`,
          'name the two answer fields with --pair <a>,<b> (e.g. --pair output_1,output_2), or pair: { a: …, b: … } in the prompt',
        );
      }
    }
    return { ...row, [SHOWN_AS.a]: row[first], [SHOWN_AS.b]: row[second] };
  };
  return {
    variables: inner.variables,
    render: (row, where) => inner.render(withPair(row, pair.a, pair.b, where), where),
    renderSwapped: (row, where) => inner.render(withPair(row, pair.b, pair.a, where), where),
  };
}
