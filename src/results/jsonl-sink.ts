import { openAppender } from './file-appender.js';
import type { WriteBytes } from './write-error.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

const LINE_SEPARATORS = /[\u2028\u2029]/g;

/** One record as a JSONL line (with its newline), keys in RECORD_KEYS order, nested keys in schema order. */
export function recordToJsonLine(record: ResultRecord): string {
  // Built key by key rather than spread, so that files are byte-stable whatever order the producer used.
  const ordered = {
    id: record.id,
    score: record.score,
    pass: record.pass,
    verdict: record.verdict,
    label: record.label,
    criteria: record.criteria,
    reasoning: record.reasoning,
    samples: record.samples,
    agreement: record.agreement,
    flipped: record.flipped,
    scoring: record.scoring,
    error: record.error === null ? null : { code: record.error.code, message: record.error.message },
    judge: {
      model: record.judge.model,
      prompt: record.judge.prompt,
      prompt_sha: record.judge.prompt_sha,
      ...(record.judge.reasoning_effort === undefined ? {} : { reasoning_effort: record.judge.reasoning_effort }),
    },
    attempts: record.attempts,
    latency_ms: record.latency_ms,
    // Only when true: a key JSON.stringify leaves out when undefined.
    cached: record.cached === true ? true : undefined,
    usage: {
      prompt_tokens: record.usage.prompt_tokens,
      completion_tokens: record.usage.completion_tokens,
      cached_tokens: record.usage.cached_tokens,
      reasoning_tokens: record.usage.reasoning_tokens ?? 0,
    },
    // Absent (undefined, so JSON.stringify leaves it out) unless the server sent an unusual one.
    finish_reason: record.finish_reason,
    row: record.row,
  } satisfies Record<keyof ResultRecord, unknown>;
  // U+2028 / U+2029 are valid raw in JSON, but line readers (node:readline among them) end a line
  // there: escaped, every reader sees one record per line.
  return `${JSON.stringify(ordered).replace(LINE_SEPARATORS, (c) => (c === '\u2028' ? '\\u2028' : '\\u2029'))}\n`;
}

/** Creates (or truncates, or continues) a JSONL results file: one record a line, each line written whole. */
export async function openJsonlSink(path: string, options: { append?: boolean; writeBytes?: WriteBytes } = {}): Promise<ResultSink> {
  const appender = await openAppender(path, { mode: options.append ? 'append' : 'truncate', writeBytes: options.writeBytes });
  return {
    path,
    write: (record) => appender.append(recordToJsonLine(record)),
    close: () => appender.close(),
  };
}
