import * as z from 'zod';
import { parseJson } from '../dataset/json-text.js';
import type { InputLocation } from '../errors.js';
import { notResults } from './not-results.js';
import { ResultRecord, writtenRecord } from './record.js';
import { fieldType, isFlag, type FieldType } from './schema-fields.js';

/**
 * A record's CSV columns, derived from the ResultRecord schema: a field is a column of its name, a
 * nested object a column per field of it (`judge_model`), and `row` is spread into `row_<name>`
 * columns after them. Columns added after the first layout go last, in the order they came, so that
 * a file in an older layout can still be read and continued.
 */

/** The column-name prefix of a nested object's fields: `<field>_`, but usage's token counts keep their own names. */
const PREFIX: Partial<Record<keyof ResultRecord, string>> = { usage: '' };
/** Not columns: the row has its own, and an unusual finish_reason is kept out so CSVs keep their shape (issue 13). */
const NOT_COLUMNS: ReadonlySet<string> = new Set(['row', 'finish_reason']);
/**
 * Columns results CSVs gained after the first layout, oldest first: reasoning judges, the response
 * cache, wait_ms, then a panel's votes (one JSON cell, as samples are). A new record field's column
 * goes here too, as a new last group, or it would land inside an older layout
 * (test/results/record-contract.test.ts pins the header).
 */
const ADDED_LATER = [['reasoning_tokens', 'judge_reasoning_effort'], ['cached'], ['wait_ms'], ['votes']] as const;

type Cell = string | number | null;

/** One record column: its name, the field (and nested field) it holds, and that field's type. */
interface Column {
  name: string;
  field: keyof ResultRecord;
  nested?: string;
  type: FieldType;
  /** The nested object it belongs to may be null (an error record's `error`). */
  inNullable?: boolean;
}

function columnsOf(schema: typeof ResultRecord): Column[] {
  return Object.entries(schema.shape).flatMap(([key, field]): Column[] => {
    if (NOT_COLUMNS.has(key)) return [];
    const name = key as keyof ResultRecord;
    const type = fieldType(field as z.ZodType);
    if (!(type.type instanceof z.ZodObject)) return [{ name, field: name, type }];
    const prefix = PREFIX[name] ?? `${key}_`;
    return Object.entries(type.type.shape as Record<string, z.ZodType>).map(([nested, inner]) => ({
      name: `${prefix}${nested}`,
      field: name,
      nested,
      type: fieldType(inner),
      inNullable: type.nullable,
    }));
  });
}

const ALL = columnsOf(ResultRecord);
const later: readonly string[] = ADDED_LATER.flat();
const layout = (eras: number): readonly string[] => [
  ...ALL.filter((column) => !later.includes(column.name)).map((column) => column.name),
  ...ADDED_LATER.slice(0, eras).flat(),
];
const COLUMN_BY_NAME = new Map(ALL.map((column) => [column.name, column]));
/** The columns of each nested object that may be null, by field: null when all of them are empty. */
const NULLABLE_GROUPS = [...new Set(ALL.filter((column) => column.inNullable).map((column) => column.field))].map(
  (field) => [field, ALL.filter((column) => column.field === field).map((column) => column.name)] as const,
);

/** The record columns of results files written before reasoning judges (still read and continued). */
export const CSV_COLUMNS_BEFORE_REASONING = layout(0);
/** The record columns of results files written before the response cache (still read and continued). */
export const CSV_COLUMNS_BEFORE_CACHE = layout(1);
/** The record columns of results files written before wait_ms (still read and continued). */
const CSV_COLUMNS_BEFORE_WAIT = layout(2);
/** The record columns of results files written before panels' votes (still read and continued). */
const CSV_COLUMNS_BEFORE_VOTES = layout(3);
/** The CSV columns every results file has, before the row's own `row_<name>` columns; `cached` is "true" or empty. */
export const CSV_RECORD_COLUMNS = layout(ADDED_LATER.length);

/** The record columns a results header starts with (today's, or an older file's); undefined when it is not verdict's. */
export function csvRecordColumnsOf(header: readonly string[]): readonly string[] | undefined {
  for (const columns of [CSV_RECORD_COLUMNS, CSV_COLUMNS_BEFORE_VOTES, CSV_COLUMNS_BEFORE_WAIT, CSV_COLUMNS_BEFORE_CACHE, CSV_COLUMNS_BEFORE_REASONING]) {
    if (columns.every((name, index) => header[index] === name)) return columns;
  }
  return undefined;
}

/** A record's written form as cells, by column name. Numbers stay numbers (see csv-sink's formula escaping). */
export function recordCells(record: ResultRecord): Map<string, Cell> {
  const written = writtenRecord(record) as unknown as Record<string, unknown>;
  const cells = new Map<string, Cell>();
  for (const column of ALL) {
    const value = column.nested === undefined ? written[column.field] : (written[column.field] as Record<string, unknown> | null)?.[column.nested];
    cells.set(column.name, toCell(value, column.type));
  }
  return cells;
}

function toCell(value: unknown, { type }: FieldType): Cell {
  if (value === null || value === undefined) return null;
  if (type instanceof z.ZodNumber) return value as number;
  if (type instanceof z.ZodString || type instanceof z.ZodEnum) return value as string;
  if (type instanceof z.ZodBoolean) return String(value);
  return JSON.stringify(value);
}

/**
 * The cells of one results CSV row, by column name, turned back into a record for the schema to
 * check: an empty cell is null, or absent for an optional field, or 0 for a count; a nested object
 * that may be null is null when all its cells are empty; `row_<name>` cells are the row's fields.
 */
export function recordOfCells(cells: Record<string, string>, location: InputLocation): unknown {
  const record: Record<string, unknown> = {};
  for (const column of ALL) {
    const value = fromCell(cells[column.name], column, location);
    if (column.nested === undefined) {
      if (value !== undefined) record[column.field] = value;
      continue;
    }
    const parent = (record[column.field] ??= {}) as Record<string, unknown>;
    if (value !== undefined) parent[column.nested] = value;
  }
  for (const [field, names] of NULLABLE_GROUPS) {
    if (names.every((name) => !cells[name])) record[field] = null;
  }
  record.row = Object.fromEntries(
    Object.entries(cells)
      .filter(([name]) => name.startsWith('row_') && !COLUMN_BY_NAME.has(name))
      .map(([name, value]) => [name.slice(4), value]),
  );
  return record;
}

function fromCell(cell: string | undefined, column: Column, location: InputLocation): unknown {
  const { type, nullable, optional } = column.type;
  if (cell === undefined || cell === '') {
    if (nullable) return null;
    if (optional) return undefined;
    return type instanceof z.ZodNumber ? 0 : cell;
  }
  if (type instanceof z.ZodNumber) return Number(cell);
  if (type instanceof z.ZodString || type instanceof z.ZodEnum) return cell;
  if (type instanceof z.ZodBoolean) return isFlag(column.type) && cell !== 'true' ? undefined : cell === 'true';
  const parsed = parseJson(cell);
  if (!parsed.ok) throw notResults({ ...location, field: column.name }, `not a verdict results record: the ${column.name} column is not valid JSON (${parsed.problem})`);
  return parsed.value;
}
