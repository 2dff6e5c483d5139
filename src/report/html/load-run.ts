import path from 'node:path';
import { UsageError } from '../../errors.js';
import { panelAggregateIn, promptBindingsOf, readManifestBeside, type RunManifest } from '../../results/manifest.js';
import { RESULTS_HINT } from '../../results/not-results.js';
import { readResults } from '../../results/read-results.js';
import type { ResultRecord } from '../../results/record.js';
import { SummaryAccumulator, type Summary } from '../../stats/summary.js';
import { compareWorstFirst } from '../worst-rows.js';
import { displayPath } from './display-path.js';
import { agreementOf, figureGroups } from './figure-groups.js';
import { headlineFigures } from './figures.js';
import { judgeInputRenderer, type JudgeInputRenderer, type PromptOverrides } from './judge-input.js';
import type { RowView, RunView } from './report-data.js';
import type { TextPool } from './text-pool.js';
import { requestsOf, retriesOf, writtenRecord, type PanelAggregate } from '../../results/record.js';
import { pairPathsIn, type PairPaths } from '../../stats/pair-texts.js';

/** A results file to report on. */
export interface RunInput {
  file: string;
  /** The run's own summary, when `verdict run` builds the report; else rebuilt from the records. */
  summary?: Summary;
  /** Agreement with human labels (`--label-field`), computed by `verdict stats`'s own code. */
  agreement?: NonNullable<Summary['agreement']>;
}

/**
 * Reads a results file into what the report shows of it: the summary, its figures, and every
 * record worst first with its judge input. A file that has an id more than once (a run that
 * crashed before compacting) counts its last record for the id, as `--resume` does. Its ranking
 * is ranking-view.ts's.
 */
export async function loadRunView(input: RunInput, pool: TextPool, options: { prompt?: string } = {}): Promise<Omit<RunView, 'ranking' | 'ranking_notes'>> {
  const records = await readAllRecords(input.file, input.summary !== undefined);
  const promptSha = records[0]?.judge.prompt_sha;
  const manifest = await readManifestBeside(input.file);
  const renderer = await judgeInputRenderer(records[0]?.judge, options.prompt, promptOverrides(manifest, promptSha));
  const rebuilt = () => summarise(records, pairPathsIn(manifest, promptSha), panelAggregateIn(manifest));
  const summary = { ...(input.summary ?? rebuilt()), ...(input.agreement ? { agreement: input.agreement } : {}) };
  const rowNumbers = new Map(records.map((record, index) => [record, index + 1]));
  const ordered = [...records].sort(compareWorstFirst);
  return {
    name: path.basename(input.file),
    file: displayPath(input.file),
    source: input.summary ? 'run' : 'file',
    summary,
    figures: headlineFigures(summary, input.summary ? 'run' : 'file'),
    groups: figureGroups(summary),
    confusion: agreementOf(summary)?.confusion ?? null,
    scale: scaleOf(renderer, summary),
    input_note: renderer.note,
    rows: ordered.map((record) => rowView(record, renderer, pool, { file: path.basename(input.file), rowNumber: rowNumbers.get(record) ?? 0 })),
  };
}

async function readAllRecords(file: string, fromRun: boolean): Promise<ResultRecord[]> {
  const byId = new Map<string, ResultRecord>();
  // The results reader names a file that is missing or not results, and the line at fault.
  for await (const record of readResults(file)) {
    byId.delete(record.id); // a later record of an id supersedes the earlier, and takes its place in file order
    byId.set(record.id, record);
  }
  // A run that graded nothing still gets its report; a file given to report on must hold records.
  if (byId.size === 0 && !fromRun) throw new UsageError(`${file} holds no verdict records`, RESULTS_HINT);
  return [...byId.values()];
}

/**
 * The `--pair` and `--field` bindings the run rendered its prompt with, from the manifest beside the
 * results file, when that manifest is of the same judge. Without them a row would render wrongly or
 * not at all, and would show its fields instead.
 */
function promptOverrides(manifest: RunManifest | undefined, promptSha: string | undefined): PromptOverrides {
  if (manifest === undefined || manifest.judge.prompt_sha !== promptSha) return {};
  const { pair, fields } = promptBindingsOf(manifest);
  return { ...(pair ? { pair } : {}), ...(Object.keys(fields).length > 0 ? { fields } : {}) };
}

/** A file's summary, as `verdict merge` rebuilds it: requests and retries from each record's attempts (none sent for a cached row). */
function summarise(records: ResultRecord[], pair: PairPaths, aggregate: PanelAggregate | undefined): Summary {
  const accumulator = new SummaryAccumulator(undefined, pair);
  let requests = 0;
  for (const record of records) {
    accumulator.add(record);
    requests += requestsOf(record);
  }
  const judge = records[0]?.judge;
  return accumulator.finish({
    status: 'complete',
    rows: records.length,
    requests,
    retries: records.reduce((sum, record) => sum + retriesOf(record), 0),
    rateLimited: 0,
    wallMs: 0,
    model: judge?.model ?? 'unknown',
    prompt: judge?.prompt ?? 'unknown',
    ...(aggregate ? { aggregate } : {}),
  });
}

function rowView(record: ResultRecord, renderer: JudgeInputRenderer, pool: TextPool, where: { file: string; rowNumber: number }): RowView {
  const input = renderer.render(record, where);
  // Every field of the record, in its written order, but those shown otherwise (model, tokens) or not at all.
  const { judge, usage, row: _row, cached: _cached, finish_reason: _finish, ...shown } = writtenRecord(record);
  const view: RowView = {
    ...shown,
    model: judge.model,
    tokens: { prompt: usage.prompt_tokens, completion: usage.completion_tokens },
    input: 'messages' in input ? input.messages.map((message): [string, number] => [message.role, pool.intern(message.content)]) : null,
    fields: 'fields' in input ? input.fields : null,
  };
  if ('note' in input && input.note !== undefined) view.input_note = input.note;
  return view;
}

/** The scale the charts use: the prompt's when it graded the rows, else the range the scores span. */
function scaleOf(renderer: JudgeInputRenderer, summary: Summary): { min: number; max: number } | null {
  const settings = renderer.prompt?.settings;
  if (settings?.mode === 'score') return settings.scale;
  if (settings?.mode === 'pass-fail') return { min: 0, max: 1 };
  const values = [
    ...Object.keys(summary.histogram).map(Number),
    ...Object.values(summary.criteria ?? {}).flatMap((criterion) => criterion.ci95 ?? (criterion.mean === null ? [] : [criterion.mean])),
  ].filter(Number.isFinite);
  if (values.length === 0) return null;
  const min = Math.floor(Math.min(...values));
  const max = Math.ceil(Math.max(...values));
  return { min, max: max === min ? min + 1 : max };
}
