import { InputError } from '../errors.js';
import { describeJsonKind, isJsonObject, parseJson } from './json-text.js';
import { readFailure, stripBom, type ByteSource } from './source.js';
import type { SourceRow } from './types.js';
import { splitLines } from '../text/lines.js';

/** Streams the rows of a JSONL file line by line: one JSON object per line, blank lines skipped. */
export async function* readJsonl(source: ByteSource): AsyncGenerator<SourceRow> {
  const { file } = source;
  const input = source.open();
  // Lines end at \n only: readline would also split at U+2028 inside a JSON string.
  const lines = splitLines(input as AsyncIterable<Buffer>);
  let line = 0;
  let rowNumber = 0;
  try {
    for await (const rawText of lines) {
      line += 1;
      const text = line === 1 ? stripBom(rawText) : rawText;
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
