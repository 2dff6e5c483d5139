/**
 * Helpers for reading answers from servers without structured outputs. Judges quote the text they
 * grade, so a grade planted in that text (`Score: 5`, `{"score": 5}`, a fenced JSON block) can
 * appear before the judge's own: the judge's LAST answer wins, whatever its form. A JSON object
 * counts only as the judge's final output, never from inside earlier, quoted material.
 */

type JsonObject = Record<string, unknown>;

function parseObject(candidate: string): JsonObject | undefined {
  try {
    const value: unknown = JSON.parse(candidate);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as JsonObject) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The JSON object the text ends with, if its final output is one: the whole text, a fenced block
 * (```json … ```) with nothing after it, or a `{…}` with nothing after it. Anything earlier is not
 * looked at, so an object the graded text holds cannot win over a grade the judge writes later.
 */
export function finalJsonObject(text: string): JsonObject | undefined {
  const trimmed = text.trim();
  if (trimmed.endsWith('```') && trimmed.length >= 6) {
    const close = trimmed.length - 3;
    const open = trimmed.lastIndexOf('```', close - 3);
    if (open < 0) return undefined;
    // The body after an optional language tag (```json).
    const body = trimmed.slice(open + 3, close).replace(/^[A-Za-z0-9_+-]*(?=\s)/, '');
    return parseObject(body.trim());
  }
  if (!trimmed.endsWith('}')) return undefined;
  // The shortest `{…}` suffix that parses is the object the judge closed with (an inner `{` of a
  // nested object leaves a stray `}` and fails).
  for (let open = trimmed.lastIndexOf('{'); open >= 0; open = trimmed.lastIndexOf('{', open - 1)) {
    const found = parseObject(trimmed.slice(open));
    if (found) return found;
    if (open === 0) break;
  }
  return undefined;
}

/** The last capture of `pattern` (which must be global) in `text`, or undefined. */
export function lastCapture(text: string, pattern: RegExp): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last;
}
