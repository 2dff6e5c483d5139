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

/**
 * Shows the control characters of user text as escapes (ESC as `\x1b`): an error quotes dataset
 * values, file names and keys, and raw C0/C1 bytes there would drive the terminal it is printed
 * to. Tab and newline stay as they are; they move the cursor and nothing else.
 */
export function escapeControl(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
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
  readonly hint?: string;
  constructor(location: InputLocation, problem: string, hint?: string) {
    // Our own wording holds no control characters, so escaping the whole message escapes the quoted values.
    super(escapeControl(`${formatLocation(location)}: ${problem}`));
    this.location = location;
    if (hint !== undefined) this.hint = escapeControl(hint);
  }
}

/** Bad usage of the command line (a flag's value, a file that would be overwritten). Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly hint?: string;
  constructor(message: string, hint?: string) {
    super(escapeControl(message));
    if (hint !== undefined) this.hint = escapeControl(hint);
  }
}

/** A flag's value its schema refused; `option` is the option's key (`maxErrorRate`), for a caller that knows where else it was given (verdict.yaml). */
export class FlagError extends UsageError {
  constructor(message: string, readonly option: string) {
    super(message);
  }
}
