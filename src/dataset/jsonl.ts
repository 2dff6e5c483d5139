import { InputError } from '../errors.js';
import { describeJsonKind, isJsonObject, parseJson } from './json-text.js';
import { readFailure, stripBom, type ByteSource } from './source.js';
import type { SourceRow } from './types.js';
import { decodeUtf8, fieldHoldingReplacement, invalidUtf8, replacementsAreInvalidBytes } from './utf8.js';
import { splitLineBytes } from '../text/lines.js';

/** Streams the rows of a JSONL file line by line: one JSON object per line, blank lines skipped. */
export async function* readJsonl(source: ByteSource): AsyncGenerator<SourceRow> {
  const { file } = source;
  const input = source.open();
  // Lines end at \n only: readline would also split at U+2028 inside a JSON string.
  const lines = splitLineBytes(input as AsyncIterable<Buffer>);
  let line = 0;
  let rowNumber = 0;
  try {
    for await (const bytes of lines) {
      line += 1;
      const decoded = decodeUtf8(bytes);
      if (decoded === undefined) throw invalidLine(file, line, rowNumber + 1, bytes);
      const text = line === 1 ? stripBom(decoded) : decoded;
      // Blank lines are common at the end of hand-edited files; they still count for line numbers.
      if (text.trim() === '') continue;
      rowNumber += 1;
      const location = { file, line, row: rowNumber };
      const parsed = parseJson(text);
      if (!parsed.ok) {
        const where = parsed.column === undefined ? '' : `, column ${parsed.column}`;
        throw new InputError(location, `not valid JSON (${parsed.problem}${where})`);
      }
      if (!isJsonObject(parsed.value)) {
        throw new InputError(location, `expected a JSON object, got ${describeJsonKind(parsed.value)}`);
      }
      yield { fields: parsed.value, rowNumber, line };
    }
  } catch (error) {
    throw readFailure(file, error);
  } finally {
    // Stopping early (a `break` in the caller) must not leave the file descriptor open.
    await lines.return(undefined);
    input.destroy();
  }
}

/** The error for a line that is not valid UTF-8, naming the field that holds the bad bytes when that can be told. */
function invalidLine(file: string, line: number, row: number, bytes: Buffer): InputError {
  const parsed = parseJson(bytes.toString('utf8'));
  const field = parsed.ok && isJsonObject(parsed.value) && replacementsAreInvalidBytes(bytes) ? fieldHoldingReplacement(parsed.value) : undefined;
  return invalidUtf8(field === undefined ? { file, line, row } : { file, line, row, field });
}
