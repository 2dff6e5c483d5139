// A panel's results (records with votes) in the HTML report: the summary's panel section as a figure
// group with each judge's figures, and each row's votes in its data, as the terminal summary counts them.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/html/build-report.js';
import type { FigureGroup } from '../../../src/report/html/report-data.js';
import { renderSummary } from '../../../src/report/render-summary.js';
import type { ResultRecord } from '../../../src/results/record.js';
import { tempDir } from '../../helpers/io.js';
import { PAIRWISE_PANEL, SCORE_PANEL, panelRecord, vote } from '../../stats/panel-fixtures.js';
import { embeddedData, mixedRecords, promptSha, summaryOf, writeResults } from './helpers.js';

const HOSTILE = '<img src=x onerror="window.pwned=1"></script><script>window.pwned=2</script>';

/** SCORE_PANEL (judge-3 fails on two rows, every judge on one), with a row whose votes' reasoning is markup. */
const RECORDS: ResultRecord[] = [
  ...SCORE_PANEL,
  panelRecord('r6', [vote('judge-1', { score: 3, pass: false, reasoning: HOSTILE }), vote('judge-2', { score: 4, pass: true }), vote('judge-3', { score: 4, pass: true })], { score: 4, pass: true }),
];

let dir: string;
beforeAll(async () => {
  dir = await tempDir();
});

const figure = (group: { figures: { key: string; value: string; detail?: string }[] }, key: string) => group.figures.find((f) => f.key === key);

async function reportOf(name: string, records: ResultRecord[]) {
  const file = await writeResults(path.join(dir, name), records);
  return buildReport([{ file }]);
}

describe('the report of a panel', () => {
  it('shows the summary\'s panel section: rows decided by all, fewer and none, alpha and its level, each judge\'s figures', async () => {
    const { html } = await reportOf('panel.jsonl', RECORDS);
    const data = embeddedData(html);
    const panel = summaryOf(RECORDS).panel!;
    expect(data.runs[0]!.summary.panel).toEqual(panel);
    const group = data.runs[0]!.groups.find((g) => g.key === 'panel') as FigureGroup;
    expect(group.title).toBe('Panel of judges');
    expect(figure(group, 'panel_judges')?.value).toBe('3');
    expect(figure(group, 'all_judges')).toMatchObject({ value: String(panel.all_judges), detail: `of ${panel.rows} rows with votes` });
    expect([panel.all_judges, panel.fewer_judges, panel.no_judge]).toEqual([3, 2, 1]);
    expect(figure(group, 'fewer_judges')?.value).toBe('2');
    expect(figure(group, 'no_judge')?.value).toBe('1');
    expect(figure(group, 'alpha')).toEqual({ key: 'alpha', label: "Krippendorff's alpha", value: panel.alpha.value!.toFixed(3), detail: `interval, scores · over ${panel.alpha.units} rows with 2+ votes` });

    expect(group.judges!.map((j) => j.judge)).toEqual(['judge-1', 'judge-2', 'judge-3']);
    const judge3 = group.judges![2]!;
    const counted = panel.judges[2]!;
    expect(figure(judge3, 'graded')).toMatchObject({ value: '3', detail: 'of 6 rows' });
    expect(figure(judge3, 'failed')).toMatchObject({ value: '3', detail: 'rate_limited 1 · timeout 2' });
    expect(figure(judge3, 'mean')?.value).toBe(counted.mean!.toFixed(2));
    expect(figure(judge3, 'mean')?.detail).toBe(`95% CI ${counted.ci95![0].toFixed(2)} to ${counted.ci95![1].toFixed(2)}`);
    expect(figure(judge3, 'pass_rate')?.value).toBe(`${(counted.pass_rate! * 100).toFixed(1)}%`);
    expect(figure(judge3, 'same_as_panel')).toMatchObject({ value: `${(counted.with_panel.exact! * 100).toFixed(1)}%`, detail: `over ${counted.with_panel.n} rows` });
    expect(figure(judge3, 'mean_abs_diff')?.value).toBe(counted.with_panel.mean_abs_diff!.toFixed(2));
    // judge-1 failed only where every judge did.
    expect(figure(group.judges![0]!, 'failed')).toMatchObject({ value: '1', detail: 'timeout 1' });
  });

  it('shows the same numbers as the terminal summary', async () => {
    const { data } = await reportOf('panel-terminal.jsonl', RECORDS);
    const text = renderSummary(data.runs[0]!.summary, { color: false, width: 200 });
    const group = data.runs[0]!.groups.find((g) => g.key === 'panel')!;
    expect(text).toContain(`${figure(group, 'alpha')!.value} (interval, scores)`);
    expect(text).toContain(`${figure(group, 'all_judges')!.value} rows decided by all`);
    for (const judge of group.judges!) {
      const line = text.split('\n').find((l) => l.includes(`${judge.judge} `) && l.includes('graded'))!;
      expect(line).toContain(`${figure(judge, 'graded')!.value} of 6 graded`);
      expect(line).toContain(`mean ${figure(judge, 'mean')!.value}`);
      expect(line).toContain(`pass ${figure(judge, 'pass_rate')!.value}`);
      expect(line).toContain(`same as panel ${figure(judge, 'same_as_panel')!.value}`);
      expect(line).toContain(`mean |diff| ${figure(judge, 'mean_abs_diff')!.value}`);
    }
  });

  it('gives a pairwise panel each judge\'s verdict counts and nominal alpha over verdicts, and no score figures', async () => {
    const { data } = await reportOf('pairs.jsonl', PAIRWISE_PANEL);
    const panel = data.runs[0]!.summary.panel!;
    const group = data.runs[0]!.groups.find((g) => g.key === 'panel')!;
    expect(figure(group, 'alpha')?.detail).toMatch(/^nominal, verdicts · /);
    expect(figure(group, 'alpha')?.value).toBe(panel.alpha.value!.toFixed(3));
    const judge1 = group.judges![0]!;
    expect(figure(judge1, 'pairwise')?.value).toBe('2 · 1 · 1');
    expect(judge1.figures.map((f) => f.key)).not.toContain('mean');
    expect(judge1.figures.map((f) => f.key)).not.toContain('mean_abs_diff');
    expect(figure(group.judges![2]!, 'failed')).toMatchObject({ value: '1', detail: 'server_error 1' });
  });

  it('gives a judge that judged pairs in both orders its flip rate, and the aggregate a run\'s own summary names', async () => {
    const both = (ab: string, ba: string) => ({
      verdict: ab,
      samples: [ab, ba].map((verdict, i) => ({ repeat: 1, order: i === 0 ? ('AB' as const) : ('BA' as const), score: null, pass: null, verdict, label: null, criteria: null, reasoning: null })),
    });
    const records = [
      panelRecord('s1', [vote('judge-1', both('A', 'B')), vote('judge-2', { verdict: 'A' })], { verdict: 'A' }),
      panelRecord('s2', [vote('judge-1', both('B', 'B')), vote('judge-2', { verdict: 'B' })], { verdict: 'B' }),
    ];
    const file = await writeResults(path.join(dir, 'flips.jsonl'), records);
    const summary = summaryOf(records);
    const { data } = await buildReport([{ file, summary: { ...summary, panel: { ...summary.panel!, aggregate: 'majority' } } }]);
    const group = data.runs[0]!.groups.find((g) => g.key === 'panel')!;
    expect(figure(group, 'panel_judges')?.detail).toBe('majority vote');
    const flipRate = summary.panel!.judges[0]!.pairwise!.flip_rate!;
    expect(flipRate).toBe(0.5);
    expect(figure(group.judges![0]!, 'flip_rate')?.value).toBe('50.0%');
    expect(group.judges![1]!.figures.map((f) => f.key)).not.toContain('flip_rate');
  });

  it('keeps every row\'s votes, failed ones with their error, and their reasoning as text only', async () => {
    const { html, data } = await reportOf('votes.jsonl', RECORDS);
    expect(embeddedData(html)).toEqual(JSON.parse(JSON.stringify(data)));
    const row = (id: string) => data.runs[0]!.rows.find((r) => r.id === id)!;
    expect(row('r2').votes!.map((v) => [v.judge, v.score, v.error?.code ?? null])).toEqual([['judge-1', 2, null], ['judge-2', 3, null], ['judge-3', null, 'timeout']]);
    expect(row('r2').votes![2]!.error).toEqual({ code: 'timeout', message: 'timeout from judge-3' });
    expect(row('r6').votes![0]!.reasoning).toBe(HOSTILE);
    // The markup is data: only the page's two script elements, and no element from the text.
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html).not.toContain('<img');
    // The page parses no text as HTML (browser.test.ts opens a vote's reasoning and finds it text).
    expect(html).not.toMatch(/innerHTML|insertAdjacentHTML|outerHTML/);
  });

  it('adds nothing to a one-judge report: no panel group, no votes', async () => {
    const sha = await promptSha('correctness');
    const { data } = await reportOf('one.jsonl', mixedRecords(20, sha));
    expect(data.runs[0]!.groups.map((g) => g.key)).not.toContain('panel');
    expect(data.runs[0]!.groups.every((g) => !('judges' in g))).toBe(true);
    expect(data.runs[0]!.rows.every((r) => !('votes' in r))).toBe(true);
  });
});
