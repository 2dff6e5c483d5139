import { UsageError } from '../errors.js';
import { bootstrapIntervals, type BootstrapOptions } from './bootstrap.js';
import { Comparison, type CompareMetric, type CompareSide, type WorseRow } from './comparison-schema.js';
import { readPairwiseLabel } from './labels.js';
import { readLocatedResults } from '../results/read-results.js';
import { signTestP } from './sign-test.js';

/** What `verdict compare` is asked for. */
export interface CompareOptions {
  a: string;
  b: string;
  /** Compare this criterion's scores instead of the row scores. */
  criterion?: string;
  /** The figure compared; by default what the files hold (pairwise verdicts: win_rate, scores: mean, passes alone: pass_rate). */
  metric?: CompareMetric;
  bootstrap: BootstrapOptions;
}

/** How many of the ids that fell most a comparison lists. */
const WORSE_ROWS = 10;

type ValueKind = 'verdict' | 'score' | 'pass' | 'criterion';

// A pairwise verdict as a number: how much the row's first output (A) was preferred.
const VERDICT_VALUE = { A: 1, tie: 0.5, B: 0 } as const;

/** One file's records by id (a later record of an id replaces an earlier one), reduced to the value compared. */
interface SideValues {
  side: CompareSide;
  kind: ValueKind | null;
  /** id → the value (null: graded but without it), or "error". */
  values: Map<string, number | null | 'error'>;
}

/** What compare keeps of a record: its candidate values, not its row. */
interface Kept {
  error: boolean;
  score: number | null;
  pass: boolean | null;
  verdict: string | null;
  criterion: number | null;
}

function valueOf(kept: Kept, kind: ValueKind): number | null {
  switch (kind) {
    case 'criterion':
      return kept.criterion;
    case 'verdict': {
      const verdict = readPairwiseLabel(kept.verdict);
      return verdict === undefined ? null : VERDICT_VALUE[verdict];
    }
    case 'score':
      return kept.score;
    case 'pass':
      return kept.pass === null ? null : kept.pass ? 1 : 0;
  }
}

const METRIC_KINDS: Record<CompareMetric, ValueKind> = { mean: 'score', pass_rate: 'pass', win_rate: 'verdict' };
const ONE_VALUE: Record<ValueKind, string> = { verdict: 'a pairwise verdict', score: 'a score', pass: 'a pass/fail verdict', criterion: 'the criterion' };
const KIND_METRICS: Record<ValueKind, CompareMetric> = { score: 'mean', criterion: 'mean', pass: 'pass_rate', verdict: 'win_rate' };

/** The value a metric asks for, or null to let the files decide; --criterion goes only with mean. */
function requestedKind(criterion: string | undefined, metric: CompareMetric | undefined): ValueKind | null {
  if (criterion !== undefined) {
    if (metric !== undefined && metric !== 'mean') throw new UsageError(`--criterion compares a criterion's mean score, so it goes with --metric mean, not ${metric}`);
    return 'criterion';
  }
  return metric === undefined ? null : METRIC_KINDS[metric];
}

async function readSide(file: string, criterion: string | undefined, requested: ValueKind | null = criterion === undefined ? null : 'criterion'): Promise<SideValues> {
  const records = new Map<string, Kept>();
  const models = new Set<string>();
  const prompts = new Set<string>();
  let read = 0;
  for await (const { record } of readLocatedResults(file)) {
    read += 1;
    // Delete first so that the map's order is that of each id's last record.
    records.delete(record.id);
    records.set(record.id, {
      error: record.error !== null,
      score: record.score,
      pass: record.pass,
      verdict: record.verdict,
      criterion: criterion === undefined ? null : (record.criteria?.[criterion] ?? null),
    });
    models.add(record.judge.model);
    prompts.add(record.judge.prompt);
  }
  if (read === 0) throw new UsageError(`no records in ${file}`);
  const graded = [...records.values()].filter((kept) => !kept.error);
  if (criterion !== undefined && !graded.some((kept) => kept.criterion !== null)) {
    throw new UsageError(`--criterion ${criterion}: no graded record of ${file} scores a criterion "${criterion}"`);
  }
  if (requested !== null && requested !== 'criterion' && !graded.some((kept) => valueOf(kept, requested) !== null)) {
    throw new UsageError(`--metric ${KIND_METRICS[requested]}: no graded record of ${file} has ${ONE_VALUE[requested]}`);
  }
  // Unless a metric is asked for, what the file holds decides the value: pairwise verdicts, else scores, else passes.
  const kind: ValueKind | null =
    requested !== null
      ? requested
      : graded.some((kept) => kept.verdict !== null)
        ? 'verdict'
        : graded.some((kept) => kept.score !== null)
          ? 'score'
          : graded.some((kept) => kept.pass !== null)
            ? 'pass'
            : null;
  const values = new Map<string, number | null | 'error'>();
  for (const [id, kept] of records) values.set(id, kept.error ? 'error' : kind === null ? null : valueOf(kept, kind));
  return {
    side: { file, models: [...models], prompts: [...prompts], records: records.size, replaced: read - records.size },
    kind,
    values,
  };
}

const KIND_NAMES: Record<ValueKind, string> = { verdict: 'pairwise verdicts', score: 'scores', pass: 'pass/fail verdicts', criterion: 'criterion scores' };

/**
 * Reads a results file as {@link compareResults} would (throwing on one that cannot be read, is
 * empty, or lacks the metric asked for), so that a run can refuse a bad --baseline before it sends anything.
 */
export async function checkComparable(file: string, options: Pick<CompareOptions, 'criterion' | 'metric'>): Promise<void> {
  await readSide(file, options.criterion, requestedKind(options.criterion, options.metric));
}

/**
 * Pairs two results files on their ids and compares the values: mean difference (b - a) with a
 * paired bootstrap interval, wins, ties and losses of b, and the exact sign test over the non-ties.
 */
export async function compareResults(options: CompareOptions): Promise<Comparison> {
  const requested = requestedKind(options.criterion, options.metric);
  const a = await readSide(options.a, options.criterion, requested);
  const b = await readSide(options.b, options.criterion, requested);
  if (a.kind !== null && b.kind !== null && a.kind !== b.kind) {
    throw new UsageError(`${options.a} holds ${KIND_NAMES[a.kind]} and ${options.b} ${KIND_NAMES[b.kind]}: there is nothing to compare`);
  }
  const kind = a.kind ?? b.kind;
  if (kind === null) throw new UsageError('neither file has a graded record with a score, verdict or pass to compare');

  const pairs: [number, number][] = [];
  const pairIds: string[] = [];
  const errored = { a: 0, b: 0 };
  let onlyInA = 0;
  let noValue = 0;
  for (const [id, valueA] of a.values) {
    if (!b.values.has(id)) {
      onlyInA += 1;
      continue;
    }
    const valueB = b.values.get(id)!;
    if (valueA === 'error' || valueB === 'error') {
      if (valueA === 'error') errored.a += 1;
      if (valueB === 'error') errored.b += 1;
      continue;
    }
    if (valueA === null || valueB === null) noValue += 1;
    else {
      pairs.push([valueA, valueB]);
      pairIds.push(id);
    }
  }
  const onlyInB = [...b.values.keys()].filter((id) => !a.values.has(id)).length;

  const mean = (values: number[]) => (values.length === 0 ? null : values.reduce((sum, v) => sum + v, 0) / values.length);
  const differences = pairs.map(([x, y]) => y - x);
  const wins = differences.filter((d) => d > 0).length;
  const losses = differences.filter((d) => d < 0).length;
  const { mean_diff } = bootstrapIntervals(
    differences.length,
    (indices) => ({ mean_diff: mean(Array.from(indices, (i) => differences[i]!)) }),
    ['mean_diff'],
    options.bootstrap,
  );
  // Sorted by the fall, and stably, so that equal falls keep a's order.
  const worse: WorseRow[] = pairs
    .map(([x, y], i) => ({ id: pairIds[i]!, a: x, b: y, diff: y - x }))
    .filter((row) => row.diff < 0)
    .sort((p, q) => p.diff - q.diff)
    .slice(0, WORSE_ROWS);
  return Comparison.parse({
    a: a.side,
    b: b.side,
    value: kind === 'criterion' ? `criteria.${options.criterion}` : kind,
    metric: KIND_METRICS[kind],
    n: pairs.length,
    mean_a: mean(pairs.map(([x]) => x)),
    mean_b: mean(pairs.map(([, y]) => y)),
    mean_diff: mean(differences),
    mean_diff_ci95: mean_diff,
    wins,
    ties: pairs.length - wins - losses,
    losses,
    sign_test_p: signTestP(wins, losses),
    only_in_a: onlyInA,
    only_in_b: onlyInB,
    errored,
    no_value: noValue,
    bootstrap: options.bootstrap.resamples > 0 ? { resamples: options.bootstrap.resamples, seed: options.bootstrap.seed } : null,
    worse,
  });
}
