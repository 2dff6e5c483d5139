import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/html/build-report.js';
import { manifestPath, writeManifest } from '../../src/results/manifest.js';
import type { Summary } from '../../src/stats/summary.js';
import { makeRecord, useTempDir } from '../results/helpers.js';
import { verdict, writeResults } from './helpers.js';

/** Pairwise records whose answers are in `first` / `second`, and the run manifest that says so. */
async function pairwiseShard(file: string, ids: string[]): Promise<string> {
  const records = ids.map((id, i) =>
    makeRecord({ id, score: null, pass: null, scoring: null, verdict: i % 2 === 0 ? 'A' : 'B', row: { id, first: 'a long first answer', second: 'short' } }),
  );
  await writeResults(file, records);
  await writeManifest(manifestPath(file), {
    version: 1,
    judge: { prompt: 'pairwise', prompt_sha: records[0]!.judge.prompt_sha, model: 'm', mode: 'pairwise', temperature: 0, max_tokens: 500, repeat: 1, pair: 'first,second', fields: '' },
    dataset: { file: 'd.jsonl', sha256: '0'.repeat(64) },
    id_field: 'id',
    shard: null,
    updated_at: new Date().toISOString(),
  });
  return file;
}

describe('the longer-answer share of files a run wrote', () => {
  const tmp = useTempDir();

  it('reads the answers the manifest names, in verdict merge', async () => {
    const one = await pairwiseShard(tmp.path('s1.jsonl'), ['1', '2']);
    const two = await pairwiseShard(tmp.path('s2.jsonl'), ['3', '4', '5']);
    const run = await verdict(['merge', one, two, '-o', tmp.path('merged.jsonl'), '--summary', tmp.path('summary.json'), '--quiet']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(await readFile(tmp.path('summary.json'), 'utf8')) as Summary;
    // The first answer is the longer in every row, and won rows 1, 3 and 5 of the five.
    expect(summary.pairwise).toMatchObject({ longer_wins: 3 / 5, longer_wins_n: 5 });
  });

  it('reads the answers the manifest names, in verdict report', async () => {
    const file = await pairwiseShard(tmp.path('s1.jsonl'), ['1', '2', '3']);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.summary.pairwise).toMatchObject({ longer_wins: 2 / 3, longer_wins_n: 3 });
    expect(data.runs[0]!.figures.find((figure) => figure.key === 'longer_wins')?.value).toBe('66.7%');
  });
});
