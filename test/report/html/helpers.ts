import { extname, join } from 'node:path';
import { loadPrompt } from '../../../src/prompt/load.js';
import { openCsvSink } from '../../../src/results/csv-sink.js';
import { openJsonlSink } from '../../../src/results/jsonl-sink.js';
import type { ResultRecord } from '../../../src/results/record.js';
import { SummaryAccumulator, type Summary } from '../../../src/stats/summary.js';
import type { ReportData } from '../../../src/report/html/report-data.js';

/** The sha256 of a built-in prompt, as the records it graded carry. */
export async function promptSha(name: string): Promise<string> {
  return (await loadPrompt(name)).sha;
}

/** A graded correctness record of row `id`, with whatever `fields` change. */
export function record(id: string, sha: string, fields: Partial<ResultRecord> = {}): ResultRecord {
  return {
    id,
    score: 4,
    pass: true,
    verdict: null,
    label: null,
    criteria: null,
    reasoning: `Reasoning for ${id}.`,
    samples: null,
    agreement: null,
    flipped: null,
    scoring: 'answer',
    error: null,
    judge: { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: sha },
    attempts: 1,
    latency_ms: 120,
    usage: { prompt_tokens: 300, completion_tokens: 40, cached_tokens: 0 },
    row: { id, input: `Question ${id}?`, reference: `Reference ${id}.`, output: `Answer ${id}.` },
    ...fields,
  };
}

/** A failed record: no grade, an error. */
export function failed(id: string, sha: string, code: 'timeout' | 'server_error' = 'timeout', message = 'the request timed out'): ResultRecord {
  return record(id, sha, { score: null, pass: null, reasoning: null, scoring: null, error: { code, message }, attempts: 3 });
}

/** Writes records with the project's own sinks (JSONL or CSV by extension). */
export async function writeResults(path: string, records: ResultRecord[]): Promise<string> {
  const rowColumns = [...new Set(records.flatMap((r) => Object.keys(r.row)))];
  const sink = extname(path) === '.csv' ? await openCsvSink(path, { rowColumns }) : await openJsonlSink(path);
  try {
    for (const r of records) await sink.write(r);
  } finally {
    await sink.close();
  }
  return path;
}

/** The summary `verdict report` rebuilds from a file's records, computed here independently. */
export function summaryOf(records: ResultRecord[]): Summary {
  const accumulator = new SummaryAccumulator();
  for (const r of records) accumulator.add(r);
  return accumulator.finish({
    status: 'complete',
    rows: records.length,
    requests: records.reduce((sum, r) => sum + r.attempts, 0),
    retries: records.reduce((sum, r) => sum + Math.max(0, r.attempts - 1), 0),
    rateLimited: 0,
    wallMs: 0,
    model: records[0]?.judge.model ?? 'unknown',
    prompt: records[0]?.judge.prompt ?? 'unknown',
  });
}

/** The data a report page embeds, read back out of its HTML. */
export function embeddedData(html: string): ReportData {
  const match = /<script type="application\/json" id="report-data">([^<]*)<\/script>/.exec(html);
  if (!match) throw new Error('the page has no report-data script');
  return JSON.parse(match[1]!) as ReportData;
}

/** A dataset of `n` rows, with a few scores, fails and errors, as a mixed run would have. */
export function mixedRecords(n: number, sha: string): ResultRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const id = `r${String(i + 1).padStart(3, '0')}`;
    if (i % 10 === 3) return failed(id, sha, i % 20 === 3 ? 'timeout' : 'server_error');
    const score = 1 + ((i * 7) % 5);
    return record(id, sha, { score, pass: score >= 4, latency_ms: 50 + ((i * 37) % 400) });
  });
}

export const fixturePath = (dir: string, name: string) => join(dir, name);

/** A pairwise record of `a` (answer A) against `b`, with the row naming them in `fields`. */
export function battle(id: string, a: string, b: string, verdict: string, fields = { a: 'model_a', b: 'model_b' }): ResultRecord {
  return record(id, 'abc', { score: null, pass: null, reasoning: null, scoring: null, verdict, judge: { model: 'gpt-4o-mini', prompt: 'pairwise', prompt_sha: 'abc' }, row: { [fields.a]: a, [fields.b]: b, output_a: `answer of ${a}`, output_b: `answer of ${b}` } });
}

/** 120 battles among four systems of different strength, from a fixed stream (Park-Miller): every system wins and loses some. */
export function tournament(fields?: { a: string; b: string }): ResultRecord[] {
  const systems = ['alpha', 'bravo', 'charlie', 'delta'];
  const strength: Record<string, number> = { alpha: 0, bravo: 0.6, charlie: -0.5, delta: 1.1 };
  let state = 11;
  const next = () => (state = (state * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: 120 }, (_, i) => {
    const a = systems[i % 4]!;
    const b = systems[(i + 1 + (Math.floor(i / 4) % 3)) % 4]!;
    const chanceA = 1 / (1 + Math.exp(strength[b]! - strength[a]!));
    const draw = next();
    return battle(`q${i}`, a, b, draw < 0.1 ? 'tie' : draw < 0.1 + 0.9 * chanceA ? 'A' : 'B', fields);
  });
}
