import { openDataset, STDIN_PATH } from '../dataset/open.js';
import { rowIdOf, type IdFieldChoice } from '../dataset/row-id.js';
import { inShard, type Shard } from '../dataset/shard.js';
import type { Dataset, RowFields } from '../dataset/types.js';
import { UsageError } from '../errors.js';
import type { AnswerSpec } from '../judge/answer-spec.js';
import { toResponseFormat, type JsonSchemaResponseFormat } from '../judge/json-schema.js';
import { answerSpecFor } from '../judge/modes/index.js';
import { loadPrompt, type JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';
import type { RunManifest } from '../results/manifest.js';
import type { ReasoningEffort } from '../dialect/model-families.js';
import { planParams, type PlannedParams } from '../dialect/params.js';
import { planResume, type RunIdentity } from '../run/resume-plan.js';
import { preflight, type PreflightReport } from '../run/preflight.js';

/** Which rows a batch run grades and with which judge: the input flags of `verdict run`. */
export interface BatchSource {
  dataset: string;
  prompt: string;
  model?: string;
  idField?: string;
  limit?: number;
  shard?: Shard;
  /** `--reasoning-effort`, over the prompt's. */
  reasoningEffort?: ReasoningEffort;
}

/** A prompt and dataset loaded and checked row by row, as `verdict run` checks them. */
export interface BatchInputs {
  prompt: JudgePrompt;
  dataset: Dataset;
  idField: IdFieldChoice;
  report: PreflightReport;
  model: string;
  spec: AnswerSpec;
  responseFormat: JsonSchemaResponseFormat;
  /** What every request sends besides the messages (no adaptation: a batch's requests are all written at once). */
  params: PlannedParams;
  limit?: number;
  shard?: Shard;
}

/**
 * Loads the prompt and dataset and pre-flights every row: bad input throws (InputError,
 * UsageError) here, before anything is written or uploaded. A batch reads the dataset again when
 * it is collected, so stdin cannot be the dataset.
 */
export async function loadBatchInputs(source: BatchSource): Promise<BatchInputs> {
  if (source.dataset === STDIN_PATH) {
    throw new UsageError('a batch reads the dataset again when it is collected, so it cannot come from stdin', 'save it to a file and pass that with -d');
  }
  const prompt = await loadPrompt(source.prompt);
  if (prompt.settings.mode === 'pairwise' && prompt.settings.swap) {
    throw new UsageError(
      'a pairwise prompt judged in both orders needs two requests a row, which the Batch API path does not do yet',
      'grade it with "verdict run", or set swap: false in the prompt to judge one order only',
    );
  }
  if (prompt.settings.scoring === 'logprobs') {
    throw new UsageError('scoring: logprobs is not supported with the Batch API yet', 'grade it with "verdict run"');
  }
  const dataset = await openDataset(source.dataset);
  const idField = { name: source.idField ?? 'id', explicit: source.idField !== undefined };
  const report = await preflight(dataset, prompt, { idField, limit: source.limit, shard: source.shard });
  const spec = answerSpecFor(prompt);
  const model = source.model ?? prompt.settings.model ?? 'gpt-4o-mini';
  return {
    prompt,
    dataset,
    idField,
    report,
    model,
    params: planParams({
      model,
      temperature: prompt.settings.temperature,
      reasoningEffort: source.reasoningEffort ?? prompt.settings.reasoning_effort,
      answerTokens: prompt.settings.max_tokens,
    }),
    spec,
    responseFormat: toResponseFormat(spec.schemaName, spec.schema),
    limit: source.limit,
    shard: source.shard,
  };
}

/** The manifest of a run over these inputs: what a results file's records were graded with. */
export async function manifestOf(inputs: BatchInputs, outputs: string[]): Promise<RunManifest> {
  return (await planResume('fresh', outputs, batchIdentity(inputs), false)).manifest;
}

/** What identifies the judge of a batch run, for its manifest. */
export function batchIdentity(inputs: BatchInputs): RunIdentity {
  const params = { temperature: inputs.params.temperature, reasoningEffort: inputs.params.reasoningEffort };
  return { prompt: inputs.prompt, model: inputs.model, dataset: inputs.dataset, idField: inputs.idField.name, shard: inputs.shard, params };
}

/** One row of the run, rendered. */
export interface BatchRow {
  id: string;
  fields: RowFields;
  messages: ChatMessage[];
}

/** The run's rows in dataset order, as dispatch picks them: the first --limit rows, this shard's, minus `skip`. */
export async function* runRows(inputs: BatchInputs, skip: (id: string) => boolean = () => false): AsyncGenerator<{ id: string; fields: RowFields; rowNumber: number; line?: number }> {
  const { dataset } = inputs;
  let seen = 0;
  for await (const row of dataset.rows()) {
    if (inputs.limit !== undefined && seen >= inputs.limit) break;
    seen++;
    const id = rowIdOf(row, inputs.idField, dataset.file);
    if ((inputs.shard && !inShard(id, inputs.shard)) || skip(id)) continue;
    yield { id, fields: row.fields, rowNumber: row.rowNumber, line: row.line };
  }
}

/** The rows to send, rendered into the judge's messages. */
export async function* rowsToGrade(inputs: BatchInputs, skip?: (id: string) => boolean): AsyncGenerator<BatchRow> {
  for await (const row of runRows(inputs, skip)) {
    const messages = inputs.prompt.template.render(row.fields, { file: inputs.dataset.file, rowNumber: row.rowNumber, line: row.line });
    yield { id: row.id, fields: row.fields, messages };
  }
}
