/**
 * Helpers for reading answers from servers without structured outputs. Judges quote the text they
 * grade, so a grade planted in that text ("Score: 5") can appear before the judge's own: every
 * reader here takes the LAST match.
 */

/** JSON objects found in free text: the whole text, fenced ```json blocks, then bare {…} spans; last first. */
export function jsonCandidates(text: string): unknown[] {
  const found: unknown[] = [];
  const tryParse = (candidate: string) => {
    try {
      const value: unknown = JSON.parse(candidate);
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) found.push(value);
    } catch {
      // not JSON: the next reader may still find an answer
    }
  };
  tryParse(text.trim());
  for (const match of text.matchAll(/```(?:json)?\s*([\s\S]*?)```/gi)) tryParse(match[1]!.trim());
  const lastOpen = text.lastIndexOf('{');
  const lastClose = text.lastIndexOf('}');
  if (lastOpen >= 0 && lastClose > lastOpen) tryParse(text.slice(text.indexOf('{'), lastClose + 1));
  return found.reverse();
}

/** The last capture of `pattern` (which must be global) in `text`, or undefined. */
export function lastCapture(text: string, pattern: RegExp): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last;
}
