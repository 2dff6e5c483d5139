import { CsvError } from 'csv-parse';
import { InputError, type InputLocation } from '../errors.js';

/** What the CSV reader knew when the parser failed: where the failing record starts, and the header if read. */
export interface CsvErrorContext {
  file: string;
  /** Line on which the failing record starts. */
  line: number;
  /** Data-row number the failing record would have had; absent when the header itself failed. */
  row?: number;
  header?: readonly string[];
}

/** Restates a csv-parse error in plain words, at the line where the failing record starts. */
export function describeCsvError(error: unknown, context: CsvErrorContext): unknown {
  if (!(error instanceof CsvError)) return error;
  const { file, line, row, header } = context;
  const location: InputLocation = row === undefined ? { file, line } : { file, line, row };
  const columnName = typeof error.column === 'number' ? header?.[error.column] : undefined;
  const fieldLocation = columnName === undefined ? location : { ...location, field: columnName };
  switch (error.code) {
    case 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH':
    case 'CSV_RECORD_INCONSISTENT_COLUMNS': {
      const got = Array.isArray(error.record) ? error.record.length : undefined;
      const expected = header === undefined ? '' : ` but the header has ${header.length} (${listNames(header)})`;
      return new InputError(location, `row has ${got === undefined ? 'a different number of' : plural(got, 'field')}${expected}`);
    }
    case 'CSV_QUOTE_NOT_CLOSED':
      return new InputError(location, 'a quoted field is never closed: its closing quote (") is missing, so it runs to the end of the file');
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new InputError(
        fieldLocation,
        'invalid closing quote: a quoted field must end at its closing quote; a quote inside a quoted field is written twice ("")',
      );
    case 'INVALID_OPENING_QUOTE':
      return new InputError(
        fieldLocation,
        'a quote appears inside an unquoted field: put the whole field in quotes and write the inner quotes twice ("")',
      );
    default:
      return new InputError(location, `not valid CSV (${error.message})`);
  }
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The header's names for a message, shortened when there are many. */
function listNames(names: readonly string[]): string {
  const shown = 10;
  const listed = names.slice(0, shown).join(', ');
  return names.length > shown ? `${listed}, …` : listed;
}
