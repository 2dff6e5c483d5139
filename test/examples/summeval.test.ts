import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/prompt/load.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { example, statsOf, tempFile, writeJsonl } from './helpers.js';

const LOGPROBS_PROMPT = example('summeval/criteria-logprobs.md');
const ASPECTS = ['coherence', 'consistency', 'fluency', 'relevance'];

/** SummEval's shape: JSONL, no id field (article_id + summary_id), human means in thirds. */
function summevalRows(): Record<string, unknown>[] {
  const articles = {
    A0: 'The city council approved a new cycle lane on Main Street on Monday. Work starts in June and will take three months.',
    A1: 'A rare orchid was found in a forest park by a volunteer. Botanists confirmed it had not been seen there for forty years.',
  };
  const summaries = [
    'the council approved a cycle lane on main street ; work starts in june .',
    'a cycle lane was rejected by the council .',
    'main street . june . three months .',
  ];
  const rows: Record<string, unknown>[] = [];
  for (const [articleId, article] of Object.entries(articles)) {
    summaries.forEach((summary, i) => {
      rows.push({ article_id: articleId, summary_id: `S${i}`, article, summary, coherence: 1 + i * 1.3333333333, fluency: 3, consistency: 4.6666666667 - i, relevance: 2 + i / 3 });
    });
  }
  return rows;
}

describe('SummEval as it stands', () => {
  it('grades with the built-in summary-criteria and --field document=article; stats correlates per article with --group-by', async () => {
    const dataset = await writeJsonl(await tempFile('summeval.jsonl'), summevalRows());
    const { records, stats, out } = await runAgainstEmulator({}, { prompt: 'summary-criteria', dataset, fields: ['document=article'] });
    expect(stats.requests).toBe(6);
    expect(stats.log[0]!.prompt).toContain('Source document:\nThe city council approved');
    // No id field: the ids are row numbers.
    expect(records.map((r) => r.id).sort()).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(records.every((r) => Object.keys(r.criteria ?? {}).join() === ASPECTS.join())).toBe(true);

    const report = await statsOf(out, 'coherence', 'article_id');
    // The label field names the criterion it is compared with.
    expect(report.summary.agreement).toMatchObject({ judge_field: 'criteria.coherence', scale: 'continuous', n: 6, groups: { field: 'article_id', total: 2 } });
  });
});

describe('examples/summeval/criteria-logprobs.md (G-Eval style)', () => {
  it('asks for logprobs and records probability-weighted criterion scores', async () => {
    const prompt = await loadPrompt(LOGPROBS_PROMPT);
    expect(prompt.settings).toMatchObject({ mode: 'score', scoring: 'logprobs', criteria: ASPECTS, scale: { min: 1, max: 5 } });

    const dataset = await writeJsonl(await tempFile('summeval.jsonl'), summevalRows());
    const { records, result } = await runAgainstEmulator({}, { prompt: LOGPROBS_PROMPT, dataset });
    expect(result.kind === 'run' && result.summary.scoring).toEqual({ logprobs: 6 });
    expect(records.every((r) => r.error === null && r.scoring === 'logprobs')).toBe(true);
    const values = records.flatMap((r) => Object.values(r.criteria ?? {}));
    expect(values).toHaveLength(24);
    // A weighted mean over the scale's tokens, not the integer the judge wrote.
    expect(values.some((v) => !Number.isInteger(v))).toBe(true);
    expect(values.every((v) => v >= 1 && v <= 5)).toBe(true);
  });

  it('stops the run (exit 3) against a server that gives no logprobs', async () => {
    const dataset = await writeJsonl(await tempFile('summeval.jsonl'), summevalRows());
    const { result, records } = await runAgainstEmulator({ logprobs: false }, { prompt: LOGPROBS_PROMPT, dataset });
    expect(result.kind).toBe('run');
    if (result.kind !== 'run') return;
    expect(result.exitCode).toBe(3);
    expect(result.stop?.code).toBe('logprobs_unavailable');
    expect(result.summary.status).toBe('failed');
    expect(records).toHaveLength(0);
  });
});
