/** Process exit codes, as SPEC.md pins them. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  runFailed: 3,
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Where in an input file a problem is; every part is optional but the file. */
export interface InputLocation {
  file: string;
  /** 1-based line in the file, when the format has lines. */
  line?: number;
  /** 1-based data row (record) number. */
  row?: number;
  /** The field (column, variable, key) at fault. */
  field?: string;
}

/** Formats a location as `file:line (row N, field "x")` for error messages. */
export function formatLocation(loc: InputLocation): string {
  let text = loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file;
  const parts: string[] = [];
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.field !== undefined) parts.push(`field "${loc.field}"`);
  if (parts.length > 0) text += ` (${parts.join(', ')})`;
  return text;
}

/**
 * Bad input found before anything was sent: a malformed dataset line, a prompt file that does not
 * parse, a row lacking a template variable. Exit 2.
 */
export class InputError extends Error {
  override name = 'InputError';
  readonly location: InputLocation;
  constructor(location: InputLocation, problem: string, readonly hint?: string) {
    super(`${formatLocation(location)}: ${problem}`);
    this.location = location;
  }
}

/** Bad usage of the command line (a flag's value, a file that would be overwritten). Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

/**
 * An API answer that no later request can get past (bad key, exhausted quota, no access): the run
 * stops at once. Exit 3.
 */
export class FatalApiError extends Error {
  override name = 'FatalApiError';
  constructor(readonly code: string, message: string, readonly hint?: string) {
    super(message);
  }
}
