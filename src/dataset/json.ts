import { InputError } from '../errors.js';
import { describeJsonKind, isJsonObject, parseJson } from './json-text.js';
import { readAllBytes, stripBom, type ByteSource } from './source.js';
import type { SourceRow } from './types.js';
import { decodeUtf8, fieldHoldingReplacement, firstInvalidLine, invalidUtf8, replacementsAreInvalidBytes } from './utf8.js';

/** Reads a JSON file holding an array of objects; the array is parsed whole, then served row by row. */
export async function* readJsonArray(source: ByteSource): AsyncGenerator<SourceRow> {
  const { file } = source;
  const bytes = await readAllBytes(file, source.open());
  const decoded = decodeUtf8(bytes);
  if (decoded === undefined) throw invalidArray(file, bytes);
  const text = stripBom(decoded);
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

/** The error for a file that is not valid UTF-8: its line, and the row and field when they can be told. */
function invalidArray(file: string, bytes: Buffer): InputError {
  const line = firstInvalidLine(bytes);
  const parsed = replacementsAreInvalidBytes(bytes) ? parseJson(stripBom(bytes.toString('utf8'))) : undefined;
  const elements: unknown[] = parsed?.ok && Array.isArray(parsed.value) ? parsed.value : [];
  const index = elements.findIndex((element) => JSON.stringify(element).includes('\uFFFD'));
  if (index === -1) return invalidUtf8({ file, line });
  const element = elements[index];
  const field = isJsonObject(element) ? fieldHoldingReplacement(element) : undefined;
  return invalidUtf8(field === undefined ? { file, line, row: index + 1 } : { file, line, row: index + 1, field });
}
