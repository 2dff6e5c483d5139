import { openAppender } from './file-appender.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

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
    judge: { model: record.judge.model, prompt: record.judge.prompt, prompt_sha: record.judge.prompt_sha },
    attempts: record.attempts,
    latency_ms: record.latency_ms,
    usage: {
      prompt_tokens: record.usage.prompt_tokens,
      completion_tokens: record.usage.completion_tokens,
      cached_tokens: record.usage.cached_tokens,
    },
    row: record.row,
  } satisfies Record<keyof ResultRecord, unknown>;
  return `${JSON.stringify(ordered)}\n`;
}

/** Creates (or truncates, or continues) a JSONL results file: one record a line, each line written whole. */
export async function openJsonlSink(path: string, options: { append?: boolean } = {}): Promise<ResultSink> {
  const appender = await openAppender(path, { mode: options.append ? 'append' : 'truncate' });
  return {
    path,
    write: (record) => appender.append(recordToJsonLine(record)),
    close: () => appender.close(),
  };
}
