import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReport } from '../../../src/report/html/build-report.js';
import { jsonForScript } from '../../../src/report/html/page.js';
import { writeManifest, manifestPath } from '../../../src/results/manifest.js';
import { Agreement } from '../../../src/stats/agreement-schema.js';
import { tempDir } from '../../helpers/io.js';
import { embeddedData, failed, mixedRecords, promptSha, record, summaryOf, writeResults } from './helpers.js';

let sha: string;
let dir: string;
beforeAll(async () => {
  sha = await promptSha('correctness');
  dir = await tempDir();
});

const HOSTILE = [
  '</script><script>window.pwned = 1</script>',
  '<!-- <script>window.pwned = 2</script>',
  '<img src=x onerror="window.pwned = 3">',
  '&lt;already escaped&gt; & "quotes" \'single\'',
];

describe('buildReport: the page', () => {
  it('embeds data that can hold any text, with no way out of its script element', async () => {
    const records = HOSTILE.map((text, i) => record(`x${i}`, sha, { reasoning: text, row: { id: `x${i}`, input: text, reference: text, output: text } }));
    const file = await writeResults(path.join(dir, 'hostile.jsonl'), records);
    const { html, data } = await buildReport([{ file }]);
    // Exactly the two script elements the page has: the data and the code.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
    expect(html.match(/<script/gi)).toHaveLength(2);
    expect(html).not.toContain('<!--');
    expect(html).not.toContain('<img');
    // Read back, every text is exactly what the records held.
    const embedded = embeddedData(html);
    expect(embedded).toEqual(JSON.parse(JSON.stringify(data)));
    expect(embedded.runs[0]!.rows.map((row) => row.reasoning).sort()).toEqual([...HOSTILE].sort());
  });

  it('escapes <, >, & and the line separators in embedded JSON, and JSON.parse reads them back', () => {
    const value = { text: '</script><!--&>\u2028\u2029' };
    const text = jsonForScript(value);
    expect(text).toBe('{"text":"\\u003c/script\\u003e\\u003c!--\\u0026\\u003e\\u2028\\u2029"}');
    expect(JSON.parse(text)).toEqual(value);
  });

  it('refers to nothing outside itself: no URL, no src or href, no CSS import, and a policy that forbids the network', async () => {
    const file = await writeResults(path.join(dir, 'plain.jsonl'), mixedRecords(30, sha));
    const { html } = await buildReport([{ file }]);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(html).not.toMatch(/\s(src|href|action|srcset|poster|xlink:href)\s*=/i);
    expect(html).not.toMatch(/url\(|@import/i);
    expect(html).not.toMatch(/\b(fetch|XMLHttpRequest|WebSocket|EventSource|sendBeacon|importScripts)\b/);
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'none'");
    expect(policy).not.toContain('unsafe-inline');
    // The policy allows exactly the inline script and stylesheet, by hash.
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(policy).toContain(`script-src ${hash(script)}`);
    expect(policy).toContain(`style-src ${hash(style)}`);
  });
});

describe('buildReport: the figures', () => {
  it('embeds the summary the SummaryAccumulator gives for the records, and its figures formatted as the terminal does', async () => {
    const records = mixedRecords(50, sha);
    const file = await writeResults(path.join(dir, 'mixed.jsonl'), records);
    const { data } = await buildReport([{ file }]);
    const run = data.runs[0]!;
    const summary = summaryOf(records);
    expect(run.summary).toEqual(summary);
    expect(run.source).toBe('file');
    const figure = (key: string) => run.figures.find((f) => f.key === key);
    expect(figure('rows')).toMatchObject({ value: '50', detail: '45 graded · 5 errors' });
    expect(figure('mean')).toMatchObject({ value: summary.mean!.toFixed(2), detail: `95% CI ${summary.ci95![0].toFixed(2)} to ${summary.ci95![1].toFixed(2)}` });
    expect(figure('pass_rate')?.value).toBe(`${(summary.pass_rate! * 100).toFixed(1)}%`);
    expect(figure('errors')).toMatchObject({ value: '5', detail: 'server_error 2 · timeout 3' });
    // A file does not know how its run ended, nor its wall time.
    expect(figure('status')).toBeUndefined();
    expect(figure('wall')).toBeUndefined();
    expect(run.scale).toEqual({ min: 1, max: 5 });
  });

  it('counts no request for a row answered from the response cache, as verdict merge and stats do', async () => {
    const records = [record('c1', sha, { cached: true, attempts: 1 }), record('c2', sha, { cached: true, attempts: 2 }), record('s1', sha, { attempts: 3 })];
    const file = await writeResults(path.join(dir, 'cached.jsonl'), records);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.summary.requests).toBe(3);
  });

  it("uses the run's own summary when verdict run hands it over", async () => {
    const records = mixedRecords(10, sha);
    const file = await writeResults(path.join(dir, 'run.jsonl'), records);
    const summary = { ...summaryOf(records), status: 'cancelled' as const, rows: 40, wall_s: 12.5, rate_limited: 2 };
    const { data } = await buildReport([{ file, summary }]);
    expect(data.runs[0]!.summary).toEqual(summary);
    expect(data.runs[0]!.figures.find((f) => f.key === 'status')?.value).toBe('cancelled');
    expect(data.runs[0]!.figures.find((f) => f.key === 'rows')?.detail).toBe('9 graded · 1 error · 30 not graded');
  });

  it('orders the rows worst first: errors, then fails, then the lowest scores', async () => {
    const file = await writeResults(path.join(dir, 'order.jsonl'), [
      record('good', sha, { score: 5 }),
      record('bad', sha, { score: 1, pass: false }),
      failed('broken', sha),
      record('fine', sha, { score: 4 }),
      record('poor', sha, { score: 2, pass: false }),
    ]);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.rows.map((row) => row.id)).toEqual(['broken', 'bad', 'poor', 'fine', 'good']);
  });

  it('counts the last record of an id a file holds twice, as --resume does', async () => {
    const file = await writeResults(path.join(dir, 'twice.jsonl'), [failed('a', sha), record('b', sha), record('a', sha, { score: 5 })]);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.rows.map((row) => [row.id, row.score])).toEqual([['b', 4], ['a', 5]]);
    expect(data.runs[0]!.summary.errors).toEqual({});
  });

  it('shows agreement with human labels, stability and the flip rate when the summary has them', async () => {
    const records = mixedRecords(10, sha);
    const file = await writeResults(path.join(dir, 'agree.jsonl'), records);
    const agreement = Agreement.parse({
      label_field: 'human', judge_field: 'score', scale: 'ordinal', n: 9, skipped: { errors: 1, no_label: 0, no_judge_value: 0 },
      accuracy: 0.7, accuracy_ci95: [0.4, 0.9], kappa: 0.55, kappa_ci95: null, kappa_weights: 'quadratic',
      spearman: 0.62, spearman_ci95: null, kendall: 0.5, kendall_ci95: null, pearson: null, pearson_ci95: null,
      confusion: { labels: ['1', '2'], matrix: [[3, 1], [0, 5]] }, bootstrap: null, notes: ['pearson: constant'],
    });
    const summary = {
      ...summaryOf(records),
      agreement,
      pairwise: { a: 3, b: 4, tie: 2, swapped: 9, flip_rate: 0.2222 },
      stability: { rows: 9, samples: 27, agreement: 0.9, unanimous_rate: 0.75, score_sd: 0.4 },
    };
    const { data } = await buildReport([{ file, summary }]);
    const run = data.runs[0]!;
    const group = (key: string) => run.groups.find((g) => g.key === key);
    expect(group('agreement')?.figures.map((f) => [f.key, f.value])).toEqual([
      ['agreement_n', '9'],
      ['accuracy', '70.0%'],
      ['kappa', '0.55'],
      ['spearman', '0.62'],
      ['kendall', '0.50'],
    ]);
    expect(group('agreement')?.figures[0]?.detail).toBe('left out: errors 1');
    expect(group('agreement')?.notes).toContain('pearson: constant');
    expect(run.confusion).toEqual(agreement.confusion);
    expect(group('stability')?.figures.map((f) => f.value)).toEqual(['9', '90.0%', '75.0%', '0.40']);
    expect(run.figures.find((f) => f.key === 'flip_rate')).toMatchObject({ value: '22.2%', detail: 'of 9 judged in both orders' });
  });
});

describe('buildReport: the judge input', () => {
  it("renders each row's judge input again with the prompt the records name, each distinct text stored once", async () => {
    const file = await writeResults(path.join(dir, 'render.jsonl'), [record('a', sha), record('b', sha)]);
    const { data } = await buildReport([{ file }]);
    const [a, b] = data.runs[0]!.rows;
    expect(a!.input?.map(([role]) => role)).toEqual(['system', 'user']);
    expect(a!.input?.[0]?.[1]).toBe(b!.input?.[0]?.[1]); // one system prompt for both
    expect(data.texts[a!.input![1]![1]]).toContain('Question a?');
    expect(data.texts[a!.input![1]![1]]).toContain('Answer a.');
    expect(a!.fields).toBeNull();
    expect(data.runs[0]!.input_note).toMatch(/rendered again from each row with the prompt "correctness"/);
  });

  it('shows the fields, and says why, when the prompt the records name is not found', async () => {
    const file = await writeResults(path.join(dir, 'unknown.jsonl'), [record('a', sha, { judge: { model: 'm', prompt: 'my-own-judge', prompt_sha: 'f'.repeat(64) } })]);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.rows[0]!.input).toBeNull();
    expect(data.runs[0]!.rows[0]!.fields).toMatchObject({ input: 'Question a?' });
    expect(data.runs[0]!.input_note).toMatch(/"my-own-judge", which is neither a built-in prompt nor a file here.*--prompt/);
  });

  it('never renders with a prompt whose sha256 differs from the one that graded the rows', async () => {
    const file = await writeResults(path.join(dir, 'changed.jsonl'), [record('a', sha, { judge: { model: 'm', prompt: 'correctness', prompt_sha: 'a'.repeat(64) } })]);
    const { data } = await buildReport([{ file }]);
    expect(data.runs[0]!.rows[0]!.input).toBeNull();
    expect(data.runs[0]!.input_note).toMatch(/is not the prompt that graded these rows \(sha256 aaaaaaaaaaaa\)/);
  });

  it('renders with a prompt file given with --prompt', async () => {
    const prompt = path.join(dir, 'mine.md');
    await writeFile(prompt, '---\nname: mine\nmode: score\n---\nuser:\nRate {{ output }} for {{ input }}.\n');
    const mineSha = createHash('sha256').update('---\nname: mine\nmode: score\n---\nuser:\nRate {{ output }} for {{ input }}.\n').digest('hex');
    const file = await writeResults(path.join(dir, 'mine.jsonl'), [record('a', sha, { judge: { model: 'm', prompt: 'mine', prompt_sha: mineSha } })]);
    const { data } = await buildReport([{ file }], { prompt });
    expect(data.runs[0]!.rows[0]!.input?.map(([role, i]) => [role, data.texts[i]])).toEqual([['user', 'Rate Answer a. for Question a?.']]);
  });

  it('shows a row whose fields the prompt cannot render with its fields and the reason', async () => {
    const file = await writeResults(path.join(dir, 'short-row.jsonl'), [record('a', sha, { row: { id: 'a', input: 'Q?' } })]);
    const { data } = await buildReport([{ file }]);
    const row = data.runs[0]!.rows[0]!;
    expect(row.input).toBeNull();
    expect(row.input_note).toMatch(/cannot be rendered from this row: .*"reference"/);
  });

  it('renders a pairwise row in the AB order, with the pair fields the run manifest names', async () => {
    const pairwiseSha = await promptSha('pairwise');
    const row = { id: 'p1', input: 'Which is better?', first: 'FIRST ANSWER', second: 'SECOND ANSWER' };
    const file = await writeResults(path.join(dir, 'pairs.jsonl'), [
      record('p1', pairwiseSha, { score: null, pass: null, verdict: 'A', flipped: false, judge: { model: 'm', prompt: 'pairwise', prompt_sha: pairwiseSha }, row }),
    ]);
    await writeManifest(manifestPath(file), {
      version: 1,
      judge: { prompt: 'pairwise', prompt_sha: pairwiseSha, model: 'm', mode: 'pairwise', temperature: 0, max_tokens: 500, repeat: 1, pair: 'first,second', fields: '' },
      dataset: { file: 'd.jsonl', sha256: '0'.repeat(64) },
      id_field: 'id',
      shard: null,
      updated_at: new Date().toISOString(),
    });
    const { data } = await buildReport([{ file }]);
    const user = data.texts[data.runs[0]!.rows[0]!.input!.find(([role]) => role === 'user')![1]]!;
    expect(user.indexOf('FIRST ANSWER')).toBeGreaterThan(-1);
    expect(user.indexOf('FIRST ANSWER')).toBeLessThan(user.indexOf('SECOND ANSWER'));
    expect(data.runs[0]!.input_note).toMatch(/AB order/);
  });
});

describe('buildReport: two runs', () => {
  it('joins them on id, the largest drop first, with paired figures', async () => {
    const a = await writeResults(path.join(dir, 'a.jsonl'), [record('same', sha, { score: 3 }), record('drop', sha, { score: 5 }), record('rise', sha, { score: 2, pass: false }), record('only-a', sha)]);
    const b = await writeResults(path.join(dir, 'b.csv'), [record('rise', sha, { score: 5 }), record('same', sha, { score: 3 }), record('drop', sha, { score: 1, pass: false }), failed('newly-broken', sha), record('only-b', sha)]);
    const { data } = await buildReport([{ file: a }, { file: b }]);
    const comparison = data.comparison!;
    const ids = comparison.pairs.map(([i, j]) => [data.runs[0]!.rows[i]!.id, data.runs[1]!.rows[j]!.id]);
    expect(ids).toEqual([['drop', 'drop'], ['same', 'same'], ['rise', 'rise']]);
    expect([comparison.only_a, comparison.only_b]).toEqual([1, 2]);
    const figure = (key: string) => comparison.figures.find((f) => f.key === key);
    expect(figure('paired')).toMatchObject({ value: '3', detail: '1 only in A · 2 only in B' });
    expect(figure('difference')?.value).toBe('-0.333');
    expect(figure('changed')?.value).toBe('1 · 1 · 1');
    expect(figure('pass_changes')?.value).toBe('1 · 1');
  });

  it('refuses more than two files, naming verdict merge for shards', async () => {
    const file = await writeResults(path.join(dir, 'three.jsonl'), [record('a', sha)]);
    await expect(buildReport([{ file }, { file }, { file }])).rejects.toThrow(/one results file, or two to compare; 3 were given/);
  });
});
