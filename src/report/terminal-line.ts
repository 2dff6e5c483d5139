/** One figure of a summary line; styled after fitting, so the width is counted without ANSI codes. */
export interface Part<S extends string> {
  text: string;
  style?: S | undefined;
  /** What goes between this figure and the one before it on the same line; the line's separator by default. */
  glue?: string;
}

/** How {@link fitLine} lays figures out. */
export interface FitOptions<S extends string> {
  /** Terminal columns; lines are kept one shorter, so that a terminal never wraps them. */
  width: number;
  sep: string;
  unicode: boolean;
  paint: (style: S | undefined, text: string) => string;
}

/** The narrowest a figure is ever cut to, however small the terminal claims to be. */
const MIN_FIGURE = 8;

/**
 * Lays figures after a label: on one line while they fit, else broken between figures onto
 * continuation lines indented under the label, a figure too long for a line of its own cut with an
 * ellipsis. So a narrow terminal gets short lines rather than its own wrapping in mid-word.
 */
export function fitLine<S extends string>(head: string, headWidth: number, parts: Part<S>[], options: FitOptions<S>): string[] {
  const limit = options.width - 1;
  const room = Math.max(MIN_FIGURE, limit - headWidth);
  const lines: string[] = [];
  let current = head;
  let used = headWidth;
  let empty = true;
  for (const part of parts) {
    const text = cut(part.text, room, options.unicode);
    if (!empty && used + (part.glue ?? options.sep).length + text.length > limit) {
      lines.push(current.trimEnd());
      current = ' '.repeat(headWidth);
      used = headWidth;
      empty = true;
    }
    const joint = empty ? '' : (part.glue ?? options.sep);
    current += joint + options.paint(part.style, text);
    used += joint.length + text.length;
    empty = false;
  }
  lines.push(empty ? current.trimEnd() : current);
  return lines;
}

function cut(text: string, max: number, unicode: boolean): string {
  if (text.length <= max) return text;
  return unicode ? `${text.slice(0, max - 1)}…` : `${text.slice(0, max - 3)}...`;
}
