/** Parses one JSON text, turning a syntax error into a tidy problem with the position V8 reports. */
export type JsonParseResult =
  | { ok: true; value: unknown }
  | { ok: false; problem: string; line?: number; column?: number };

// V8 appends "in JSON at position N (line L column C)" to some messages; older releases give only the
// position, and the "Unexpected token" messages give neither (they quote a snippet instead).
const positionSuffix = / in JSON at position (\d+)(?: \(line (\d+) column (\d+)\))?$/;

/** JSON.parse, but a syntax error comes back as data: the message without its position suffix, and the position. */
export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    const match = positionSuffix.exec(error.message);
    if (match === null) return { ok: false, problem: error.message };
    const problem = error.message.slice(0, match.index);
    if (match[2] !== undefined && match[3] !== undefined) {
      return { ok: false, problem, line: Number(match[2]), column: Number(match[3]) };
    }
    return { ok: false, problem, ...lineAndColumn(text, Number(match[1])) };
  }
}

/** The 1-based line and column of a 0-based character offset. */
function lineAndColumn(text: string, position: number): { line: number; column: number } {
  const before = text.slice(0, position);
  const lineStart = before.lastIndexOf('\n') + 1;
  let line = 1;
  for (let i = before.indexOf('\n'); i !== -1; i = before.indexOf('\n', i + 1)) line += 1;
  return { line, column: position - lineStart + 1 };
}

/** Names the JSON type of a value for "expected an object, got …" messages. */
export function describeJsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
