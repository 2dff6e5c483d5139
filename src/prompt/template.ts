import type { Liquid, Template } from 'liquidjs';
import { InputError } from '../errors.js';
import type { RowFields } from '../dataset/types.js';
import type { Role, RoleSection } from './parse-file.js';

/** A chat message ready to send. */
export interface ChatMessage {
  role: Role;
  content: string;
}

/** Compiled role sections that render a row into chat messages. */
export interface PromptTemplate {
  /** Renders one row; throws InputError naming the row and every missing field. */
  render(row: RowFields, where: { file: string; rowNumber: number; line?: number }): ChatMessage[];
  /** Pairwise prompts only: the row with its two answers shown the other way round (BA). */
  renderSwapped?(row: RowFields, where: { file: string; rowNumber: number; line?: number }): ChatMessage[];
  /** Dotted paths of every variable the templates read, for messages and docs. */
  readonly variables: readonly string[];
}

/**
 * Objects and arrays print as JSON rather than "[object Object]"; strings print as themselves.
 * Liquid inserts a value once: braces inside data are never rendered again.
 */
function formatOutput(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** Compiles role sections with Liquid in strict mode (unknown variables and filters are errors). */
export async function compileTemplate(file: string, sections: RoleSection[]): Promise<PromptTemplate> {
  // Loaded here, not at the top: `verdict prompts` and `--help` never pay for it.
  const { Liquid } = await import('liquidjs');
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    outputEscape: formatOutput,
  });
  const compiled = sections.map((section) => ({ section, template: parseSection(liquid, file, section) }));
  // A segment that is itself a path (`a[b]`) is dynamic; only literal keys can be checked up front.
  const segments = compiled
    .flatMap(({ template }) => liquid.globalVariableSegmentsSync(template))
    .map((path) => path.filter((key): key is string | number => !Array.isArray(key)));
  const variables = [...new Set(segments.map((path) => path.join('.')))];

  return {
    variables,
    render(row, where) {
      try {
        return compiled.map(({ section, template }) => ({
          role: section.role,
          content: liquid.renderSync(template, row) as string,
        }));
      } catch (error) {
        const missing = missingFields(error, segments, row);
        const location = { file: where.file, line: where.line, row: where.rowNumber, field: missing[0] };
        if (missing.length > 0) {
          const list = missing.map((m) => `"${m}"`).join(', ');
          throw new InputError(location, `the row has no field ${list}, which the prompt uses`);
        }
        throw new InputError(location, `the prompt cannot be rendered for this row: ${(error as Error).message}`);
      }
    },
  };
}

function parseSection(liquid: Liquid, file: string, section: RoleSection): Template[] {
  try {
    return liquid.parse(section.template);
  } catch (error) {
    // Liquid counts lines from the start of the section; point at the file's line instead.
    const message = (error as Error).message;
    const lineInSection = Number(/line:(\d+)/.exec(message)?.[1] ?? 1);
    throw new InputError({ file, line: section.line + lineInSection - 1 }, `template error: ${message.replace(/, line:\d+, col:\d+$/, '')}`);
  }
}

/**
 * The fields whose absence broke rendering: Liquid names the one it hit; failing that, every
 * path the templates read that the row lacks.
 */
function missingFields(error: unknown, segments: (string | number)[][], row: RowFields): string[] {
  const named = (error as { originalError?: { variableName?: unknown } }).originalError?.variableName;
  return typeof named === 'string' ? [named] : findMissing(segments, row);
}

/** Paths whose value is absent in the row (null counts as present: it renders empty). */
function findMissing(segments: (string | number)[][], row: RowFields): string[] {
  const missing = new Set<string>();
  for (const path of segments) {
    let value: unknown = row;
    for (const key of path) {
      if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) {
        value = undefined;
        break;
      }
      value = (value as Record<string | number, unknown>)[key];
    }
    if (value === undefined) missing.add(path.join('.'));
  }
  return [...missing];
}
