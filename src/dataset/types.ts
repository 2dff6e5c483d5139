/** A dataset row as read from the file: field name → value (strings for CSV, any JSON for JSONL/JSON). */
export type RowFields = Record<string, unknown>;

/** One row read from a dataset, with where it came from so that errors can point at it. */
export interface SourceRow {
  fields: RowFields;
  /** 1-based position among the data rows (the header of a CSV does not count). */
  rowNumber: number;
  /** 1-based line where the row starts, for line-based formats (JSONL, CSV); absent for JSON arrays. */
  line?: number;
}

/** A dataset that can be read more than once (a pre-flight pass, then the run), each pass streaming. */
export interface Dataset {
  /** The path as the user gave it, or `<stdin>`. */
  readonly file: string;
  /** Reads the rows in order. Throws InputError (naming file and line) on malformed input. */
  rows(): AsyncIterable<SourceRow>;
  /** sha256 of the dataset's bytes (hex): tells a resumed run whether the data changed. */
  digest(): Promise<string>;
}
