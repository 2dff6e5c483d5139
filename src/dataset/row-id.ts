import { InputError } from '../errors.js';
import type { SourceRow } from './types.js';

/** Which field identifies a row; `explicit` when the user named it with --id-field. */
export interface IdFieldChoice {
  name: string;
  explicit: boolean;
}

/**
 * A row's id: the id field's value as text, or the 1-based row number when the default `id`
 * field is absent. A field named with --id-field must be present in every row.
 */
export function rowIdOf(row: SourceRow, idField: IdFieldChoice, file: string): string {
  const value = row.fields[idField.name];
  if (value === undefined || value === null || value === '') {
    if (!idField.explicit) return String(row.rowNumber);
    throw new InputError(
      { file, line: row.line, row: row.rowNumber, field: idField.name },
      `the row has no "${idField.name}" value, which --id-field names as the row id`,
    );
  }
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  throw new InputError(
    { file, line: row.line, row: row.rowNumber, field: idField.name },
    `the id must be a string or a number, not ${Array.isArray(value) ? 'an array' : typeof value}`,
  );
}
