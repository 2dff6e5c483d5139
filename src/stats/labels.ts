/**
 * Human labels as datasets spell them, read into the judge's terms. A label that is absent is
 * "missing" (the row is skipped and counted); one that is present but cannot be read is the
 * caller's input error, since guessing would quietly change the agreement figures.
 */

/** A pairwise verdict in the dataset's terms: "A" is the row's first output. */
export type PairVerdict = 'A' | 'B' | 'tie';

/** Spellings of pairwise labels in public datasets (lower-cased): LLMBar, PandaLM, MT-Bench, Chatbot Arena. */
export const PAIRWISE_SPELLINGS: Readonly<Record<PairVerdict, readonly string[]>> = {
  A: ['1', 'a', 'model_a', 'output_1', 'output_a', 'response1', 'response_1'],
  B: ['2', 'b', 'model_b', 'output_2', 'output_b', 'response2', 'response_2'],
  tie: ['0', 'tie', 'c', 'draw', 'tie (bothbad)', 'tie (inconsistent)'],
};

const PAIRWISE_BY_SPELLING = new Map<string, PairVerdict>(
  Object.entries(PAIRWISE_SPELLINGS).flatMap(([verdict, spellings]) => spellings.map((s) => [s, verdict as PairVerdict])),
);

const PASS_SPELLINGS = new Map<string, boolean>([
  ['true', true],
  ['pass', true],
  ['passed', true],
  ['yes', true],
  ['1', true],
  ['false', false],
  ['fail', false],
  ['failed', false],
  ['no', false],
  ['0', false],
]);

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** Whether a label is absent: no field, null, or an empty (CSV) cell. */
export function isMissing(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** A pairwise label (1 / "A" / "model_a" / 0 / "tie" …, any case), or undefined when it is none of them. */
export function readPairwiseLabel(value: unknown): PairVerdict | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return PAIRWISE_BY_SPELLING.get(String(value).trim().toLowerCase());
}

/** A numeric label: a number, or text that is one ("4", "3.6666667", as CSV cells hold them). */
export function readNumberLabel(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && NUMBER.test(value.trim())) return Number(value.trim());
  return undefined;
}

/** A pass/fail label: a boolean, 1/0, or true/false, pass/fail, yes/no in any case. */
export function readPassLabel(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return PASS_SPELLINGS.get(String(value).trim().toLowerCase());
}

/** A category label, compared with the judge's exactly (after trimming): text, or a number as text. */
export function readCategoryLabel(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The value at a dotted path of a row ("scores.overall"). A key that itself holds the dots wins,
 * and a JSON object stored as text (how a CSV results file keeps a nested field) is read on the way
 * down, so the same path works on JSONL and CSV results.
 */
export function valueAtPath(row: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(row, path)) return row[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  // Try every split point, shortest head first: "a.b.c" → a → "b.c", then "a.b" → "c".
  for (let at = dot; at >= 0; at = path.indexOf('.', at + 1)) {
    const head = path.slice(0, at);
    if (!Object.hasOwn(row, head)) continue;
    const inner = asObject(row[head]);
    if (inner !== undefined) {
      const found = valueAtPath(inner, path.slice(at + 1));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  if (typeof value === 'string' && value.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
