import type { Dataset } from '../dataset/types.js';
import { rowIdOf, type IdFieldChoice } from '../dataset/row-id.js';
import { inShard, type Shard } from '../dataset/shard.js';
import { InputError } from '../errors.js';
import { estimateRequestTokens } from '../judge/estimate-tokens.js';
import type { JudgePrompt } from '../prompt/load.js';
import type { ChatMessage } from '../prompt/template.js';

/** What a full pass over the dataset found, before anything is sent. */
export interface PreflightReport {
  /** Rows the run will grade (after --limit). */
  rows: number;
  /** Rows checked, of every shard: with `rows`, a shard's share of the rate limits. */
  allRows: number;
  /** Every top-level field seen, in first-seen order: the CSV sink's `row_*` columns. */
  rowColumns: string[];
  /** The first row's rendered prompt, for --dry-run. */
  firstMessages?: ChatMessage[];
  /** Sum over rows of the estimated request tokens (prompt + max completion). */
  estimatedPromptTokens: number;
  /**
   * This shard's row ids, in dataset order, so a resumed run can count what is left to grade. A run
   * clears them once counted, so that it does not hold them while it grades.
   */
  ids: Set<string>;
}

/**
 * Reads the whole dataset once and checks every row the run would send: its id is valid and
 * unique, and the prompt renders with it. The first problem throws an InputError naming the file,
 * line, row and field; nothing has been sent at that point. Streams: memory holds only the ids.
 */
export async function preflight(
  dataset: Dataset,
  prompt: JudgePrompt,
  options: { idField: IdFieldChoice; limit?: number; shard?: Shard; signal?: AbortSignal },
): Promise<PreflightReport> {
  // id → the row number that first had it, to name it in a duplicate's error.
  const seen = new Map<string, number>();
  const ids = new Set<string>();
  const columns = new Set<string>();
  let rows = 0;
  let estimatedPromptTokens = 0;
  let firstMessages: ChatMessage[] | undefined;
  for await (const row of dataset.rows()) {
    // A Ctrl-C during a long pre-flight stops it: nothing has been sent yet.
    if (options.signal?.aborted) throw options.signal.reason;
    if (options.limit !== undefined && rows >= options.limit) break;
    const id = rowIdOf(row, options.idField, dataset.file);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      throw new InputError(
        { file: dataset.file, line: row.line, row: row.rowNumber, field: options.idField.name },
        `duplicate id "${id}": row ${earlier} has it too`,
        'ids must be unique; pick another field with --id-field',
      );
    }
    seen.set(id, row.rowNumber);
    // Every row is checked, so all shards of a run fail (or pass) on the same input; only this
    // shard's rows are counted and estimated.
    if (options.shard && !inShard(id, options.shard)) {
      prompt.template.render(row.fields, { file: dataset.file, rowNumber: row.rowNumber, line: row.line });
      continue;
    }
    const messages = prompt.template.render(row.fields, { file: dataset.file, rowNumber: row.rowNumber, line: row.line });
    ids.add(id);
    firstMessages ??= messages;
    estimatedPromptTokens += estimateRequestTokens(messages, 0);
    for (const key of Object.keys(row.fields)) columns.add(key);
    rows++;
  }
  return { rows, allRows: seen.size, rowColumns: [...columns], firstMessages, estimatedPromptTokens, ids };
}
