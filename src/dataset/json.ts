import { InputError } from '../errors.js';
import { describeJsonKind, isJsonObject, parseJson } from './json-text.js';
import { readAllBytes, stripBom, type ByteSource } from './source.js';
import type { SourceRow } from './types.js';

/** Reads a JSON file holding an array of objects; the array is parsed whole, then served row by row. */
export async function* readJsonArray(source: ByteSource): AsyncGenerator<SourceRow> {
  const { file } = source;
  const text = stripBom((await readAllBytes(file, source.open())).toString('utf8'));
  const parsed = parseJson(text);
  if (!parsed.ok) {
    const where = parsed.column === undefined ? '' : `, column ${parsed.column}`;
    const location = parsed.line === undefined ? { file } : { file, line: parsed.line };
    throw new InputError(location, `not valid JSON (${parsed.problem}${where})`);
  }
  if (!Array.isArray(parsed.value)) {
    throw new InputError({ file }, `expected a JSON array of objects, got ${describeJsonKind(parsed.value)}`);
  }
  const elements: unknown[] = parsed.value;
  for (const [index, element] of elements.entries()) {
    const rowNumber = index + 1;
    if (!isJsonObject(element)) {
      throw new InputError(
        { file, row: rowNumber },
        `expected each element to be a JSON object, got ${describeJsonKind(element)}`,
      );
    }
    yield { fields: element, rowNumber };
  }
}
