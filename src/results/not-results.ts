import type * as z from 'zod';
import { describeJsonKind, isJsonObject, type JsonParseResult } from '../dataset/json-text.js';
import { formatLocation, UsageError, type InputLocation } from '../errors.js';

/**
 * Why a file given where results are expected is not one, in words that say what it looks like
 * instead (a dataset, a summary, a binary file). A UsageError, not an InputError: the file itself
 * may be fine, it is the wrong one, and every command (merge's own wrapper too) passes it on as is.
 */
export function notResults(location: InputLocation, problem: string): UsageError {
  return new UsageError(`${formatLocation(location)}: ${printable(problem)}`, RESULTS_HINT);
}

/** What to give instead of a file that is not results. */
export const RESULTS_HINT = 'give the .jsonl or .csv results file that verdict run wrote (its -o)';

const NOT_A_RECORD = 'not a verdict results record';

/** A JSONL line that is not JSON: a line of a pretty-printed JSON document, or text of another kind. */
export function notJson(line: number, text: string, parsed: Extract<JsonParseResult, { ok: false }>): string {
  // A results file holds one record per line; a JSON document opens with a lone "{" or "[".
  if (line === 1 && /^\s*\[?\s*\{?\s*$/.test(text)) {
    return `${NOT_A_RECORD}: this looks like a JSON document spread over lines (a --summary file, or a .json dataset), but a results file holds one JSON record per line`;
  }
  const where = parsed.column === undefined ? '' : `, column ${parsed.column}`;
  return `${NOT_A_RECORD}: not valid JSON (${parsed.problem}${where})`;
}

// Keys only a graded record has: a row that has none of them was never graded.
const RECORD_KEYS = ['judge', 'attempts', 'latency_ms', 'usage'];

/** A JSON value that the record schema refused, said as what it looks like; the field at fault, if any. */
export function notARecord(value: unknown, error: z.ZodError): { problem: string; field?: string } {
  if (!isJsonObject(value)) {
    const hint = Array.isArray(value) ? ' (a .json dataset?)' : '';
    return { problem: `${NOT_A_RECORD}: expected a JSON object, got ${describeJsonKind(value)}${hint}` };
  }
  if (!RECORD_KEYS.some((key) => key in value)) {
    if ('status' in value && 'rows' in value) return { problem: `${NOT_A_RECORD}: this is a run summary (what --summary writes), not the records it counts` };
    return { problem: `${NOT_A_RECORD}: it has no ${RECORD_KEYS.slice(0, -1).join(', ')} or ${RECORD_KEYS.at(-1)}, so it looks like a dataset row, not a graded one` };
  }
  const issue = error.issues[0];
  const field = issue?.path.map(String).join('.');
  return { problem: `${NOT_A_RECORD} (${issue?.message ?? 'does not match'})`, ...(field ? { field } : {}) };
}

/** A CSV whose header lacks verdict's record columns: most likely the dataset. */
export function notResultsCsvHeader(missing: readonly string[]): string {
  const named = missing.length > 4 ? `${missing.slice(0, 4).join(', ')}, …` : missing.join(', ');
  return `${NOT_A_RECORD}: the CSV header has no ${named} column${missing.length === 1 ? '' : 's'}, so it looks like a dataset, not results`;
}

/** A file whose first bytes are not text (see looksBinary). */
export const NOT_TEXT = 'not a text file (it holds bytes that are not UTF-8 text), so it is not verdict results';

/**
 * Whether the first bytes of a file are not text: a NUL byte, or bytes that are not UTF-8. A results
 * file is UTF-8 text; JSON escapes control characters, and nothing verdict writes holds a NUL.
 */
export function looksBinary(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  try {
    // stream: a character cut at the end of the head is not an error.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return false;
  } catch {
    return true;
  }
}

/** Control characters escaped, so that a message never writes raw bytes of the file to the terminal. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
