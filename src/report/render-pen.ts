import type { RenderOptions } from './render-summary.js';
import { fitLine, type Part } from './terminal-line.js';

/** Styles the stats and compare blocks use. */
export type Style = 'bold' | 'dim' | 'yellow';
const ANSI: Record<Style, [string, string]> = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  yellow: ['\u001b[33m', '\u001b[39m'],
};

/** The column the figures start at, as in the summary block above them. */
export const LABEL_WIDTH = 10;

/** Draws labelled lines of figures that break between figures to fit the terminal, like the summary does. */
export class Pen {
  readonly lines: string[] = [];
  readonly sep: string;
  readonly unicode: boolean;
  readonly narrow: boolean;

  constructor(private readonly options: RenderOptions) {
    this.unicode = options.unicode ?? options.color;
    this.sep = this.unicode ? ' · ' : ', ';
    this.narrow = options.width < 60;
  }

  /** Wraps text in a style's ANSI codes when colour is on. */
  paint = (style: Style | undefined, text: string): string =>
    this.options.color && style !== undefined ? `${ANSI[style][0]}${text}${ANSI[style][1]}` : text;

  /** One labelled line (an empty label continues the block above). */
  line(label: string, parts: Part<Style>[]): void {
    const head = label === '' ? ' '.repeat(LABEL_WIDTH) : this.paint('bold', label.padEnd(LABEL_WIDTH));
    this.lines.push(...fitLine(head, LABEL_WIDTH, parts, { width: this.options.width, sep: this.sep, unicode: this.unicode, paint: this.paint }));
  }

  /** A sentence as figures of one word each, so that a long one wraps between words rather than being cut. */
  words(text: string, style?: Style): Part<Style>[] {
    return text.split(' ').map((word, i) => ({ text: word, style, glue: i === 0 ? undefined : ' ' }));
  }

  /** A line as it is, for tables. */
  raw(text: string): void {
    this.lines.push(text);
  }

  /** "(95% CI a to b)", or "[a, b]" on a narrow terminal, as a dim figure glued to the one before. */
  interval(ci: [number, number] | null | undefined, format: (x: number) => string): Part<Style>[] {
    if (ci === null || ci === undefined) return [];
    const text = this.narrow ? `[${format(ci[0])}, ${format(ci[1])}]` : `(95% CI ${format(ci[0])} to ${format(ci[1])})`;
    return [{ text, style: 'dim', glue: '  ' }];
  }

  /** The block, ending with a newline. */
  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** A coefficient with three decimals: 0.553, -0.120. */
export function coefficient(x: number): string {
  return x.toFixed(3);
}

/** A p-value: three decimals, or two significant digits below 0.001 (4.1e-6). */
export function pValue(p: number): string {
  return p >= 0.001 ? p.toFixed(3) : p === 0 ? '0' : p.toExponential(1);
}
