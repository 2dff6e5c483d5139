import { InputError } from '../errors.js';
import type { RowFields } from '../dataset/types.js';
import type { PromptTemplate } from './template.js';

/** `--field var=path`: the template variable `var` reads the row's field at `path` (dotted for nested). */
export type FieldAliases = Readonly<Record<string, string>>;

function valueAt(row: RowFields, path: string): { found: boolean; value: unknown } {
  let value: unknown = row;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return { found: false, value: undefined };
    value = (value as Record<string, unknown>)[key];
  }
  return { found: true, value };
}

/**
 * Wraps a template so that each aliased variable reads another field of the row. One prompt then
 * grades datasets that name their fields differently (SummEval's `article` as `document`), with
 * neither the prompt nor the data rewritten. A row lacking the source field is an input error
 * naming that field, as a missing variable would be.
 */
export function aliasTemplate(inner: PromptTemplate, aliases: FieldAliases): PromptTemplate {
  const entries = Object.entries(aliases);
  if (entries.length === 0) return inner;
  const withAliases = (row: RowFields, where: { file: string; rowNumber: number; line?: number }): RowFields => {
    const bound: RowFields = { ...row };
    for (const [variable, path] of entries) {
      const { found, value } = valueAt(row, path);
      if (!found) {
        throw new InputError(
          { file: where.file, line: where.line, row: where.rowNumber, field: path },
          `the row has no field "${path}", which --field ${variable}=${path} reads`,
        );
      }
      bound[variable] = value;
    }
    return bound;
  };
  return {
    variables: inner.variables,
    render: (row, where) => inner.render(withAliases(row, where), where),
    ...(inner.renderSwapped ? { renderSwapped: (row: RowFields, where: { file: string; rowNumber: number; line?: number }) => inner.renderSwapped!(withAliases(row, where), where) } : {}),
  };
}
