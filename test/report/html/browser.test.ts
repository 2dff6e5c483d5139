// Opens reports in a real headless Chromium (Debian's, driven by playwright-core) and checks what a
// reader sees against the summary. Skipped, with a note, where no Chromium is installed; .ci/run
// installs it, so CI always runs these.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { integer, percent } from '../../../src/report/format.js';
import { writeReport } from '../../../src/report/html/build-report.js';
import { Agreement } from '../../../src/stats/agreement-schema.js';
import type { ResultRecord } from '../../../src/results/record.js';
import { tempDir } from '../../helpers/io.js';
import { SCORE_PANEL, panelRecord, vote } from '../../stats/panel-fixtures.js';
import { failed, mixedRecords, promptSha, record, summaryOf, tournament, writeResults } from './helpers.js';

const ARTIFACTS = fileURLToPath(new URL('../../artifacts/', import.meta.url));
const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Debian's chromium, else a browser playwright-core knows of (never downloaded here). */
async function findChromium(): Promise<{ chromium: typeof import('playwright-core').chromium; executablePath: string } | undefined> {
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return undefined;
  }
  const candidates = [process.env.VERDICT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  try {
    candidates.push(chromium.executablePath());
  } catch {
    // playwright-core has no browser of its own: fine, it was never downloaded.
  }
  const executablePath = candidates.find((candidate): candidate is string => candidate !== undefined && existsSync(candidate));
  return executablePath ? { chromium, executablePath } : undefined;
}

const browserFound = await findChromium();
if (!browserFound) {
  console.warn(
    'test/report/html/browser.test.ts: SKIPPED: no Chromium found (looked for /usr/bin/chromium and playwright-core\'s own). ' +
      'Install Debian\'s chromium (apt-get install chromium) to run the browser tests; .ci/run does.',
  );
}

describe.skipIf(!browserFound)('the HTML report in headless Chromium', () => {
  let browser: Browser;
  let dir: string;
  let sha: string;
  let records: ResultRecord[];
  let reportUrl: string;

  beforeAll(async () => {
    const { chromium, executablePath } = browserFound!;
    // launch() gives the browser a fresh, empty profile of its own in a temporary directory.
    browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
    await mkdir(ARTIFACTS, { recursive: true });
    dir = await tempDir();
    sha = await promptSha('correctness');
    records = [
      ...mixedRecords(248, sha),
      // Text that would run as script if it were ever inserted as HTML.
      record('hostile', sha, {
        score: 1,
        pass: false,
        reasoning: '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>',
        row: { id: 'hostile', input: '<img src=y onerror="window.pwned=3">', reference: '</script><script>window.pwned=4</script>', output: '<!-- hi -->' },
      }),
      failed('broken', sha, 'timeout', 'the request timed out after 60000 ms'),
    ];
    const file = await writeResults(path.join(dir, 'results.jsonl'), records);
    await writeReport(path.join(dir, 'report.html'), [{ file }]);
    reportUrl = pathToFileURL(path.join(dir, 'report.html')).href;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  /** Opens a report and watches it: every request it makes, every error, every console complaint. */
  async function open(url: string, viewport = { width: 1280, height: 900 }): Promise<{ page: Page; requests: string[]; problems: string[] }> {
    const page = await browser.newPage({ viewport });
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      problems.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
    await page.goto(url);
    await page.waitForSelector('main[data-ready="true"]');
    return { page, requests, problems };
  }

  const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
  const shownIds = (page: Page) => page.locator('table.grid tbody tr.item td[data-key="id"]').allInnerTexts();
  const countText = (page: Page) => page.locator('.table-view .count').first().innerText();

  it('shows the figures of the summary, and requests nothing but itself', async () => {
    const { page, requests, problems } = await open(reportUrl);
    const summary = summaryOf(records);
    expect(await text(page, '[data-figure="rows"] .value')).toBe(integer(summary.rows));
    const errorCount = Object.values(summary.errors).reduce((sum, n) => sum + n, 0);
    expect(await text(page, '[data-figure="rows"] .detail')).toBe(`${integer(summary.graded)} graded · ${integer(errorCount)} errors`);
    expect(await text(page, '[data-figure="mean"] .value')).toBe(summary.mean!.toFixed(2));
    expect(await text(page, '[data-figure="mean"] .detail')).toBe(`95% CI ${summary.ci95![0].toFixed(2)} to ${summary.ci95![1].toFixed(2)}`);
    expect(await text(page, '[data-figure="pass_rate"] .value')).toBe(percent(summary.pass_rate!));
    expect(await text(page, '[data-figure="pass_rate"] .detail')).toBe(`95% CI ${percent(summary.pass_rate_ci95![0])} to ${percent(summary.pass_rate_ci95![1])}`);
    expect(await text(page, '[data-figure="errors"] .detail')).toBe(Object.entries(summary.errors).map(([code, n]) => `${code} ${n}`).join(' · '));
    // Every histogram bar carries, and shows, the count the summary has for its score.
    for (const [score, count] of Object.entries(summary.histogram)) {
      const bar = page.locator(`[data-chart="histogram"] g[data-bin="${score}"]`);
      expect(await bar.getAttribute('data-count')).toBe(String(count));
      expect(await bar.locator('text.count').textContent()).toBe(integer(count));
    }
    expect(await page.locator('[data-chart="pass_rate"] text.strong').textContent()).toBe(percent(summary.pass_rate!));
    // Not pairwise: nothing to rank.
    expect(await page.locator('section.ranking').count()).toBe(0);
    expect(requests).toEqual([reportUrl]);
    expect(problems).toEqual([]);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report.png'), fullPage: true });
    await page.close();
  });

  it('lists the rows worst first, a page at a time, and sorts by a column both ways', async () => {
    const { page, problems } = await open(reportUrl);
    expect(await countText(page)).toBe(`rows 1–100 of ${records.length}`);
    expect(await page.locator('table.grid tbody tr.item').count()).toBe(100);
    const errors = records.filter((r) => r.error !== null).length;
    const ids = await shownIds(page);
    // Errors first, then the fails, lowest scores first.
    expect(await page.locator('table.grid tbody tr.item.errored').count()).toBe(errors);
    expect(ids.slice(0, errors).every((id) => records.find((r) => r.id === id)?.error !== null)).toBe(true);
    expect(ids[errors]).toBe('hostile');

    const scores = async () => (await page.locator('table.grid tbody tr.item td[data-key="score"]').allInnerTexts()).map(Number);
    await page.click('th button[data-sort="score"]');
    expect(await page.getAttribute('th[data-key="score"]', 'aria-sort')).toBe('ascending');
    const up = await scores();
    expect(up).toEqual([...up].sort((a, b) => a - b));
    await page.click('th button[data-sort="score"]');
    expect(await page.getAttribute('th[data-key="score"]', 'aria-sort')).toBe('descending');
    const down = await scores();
    expect(down[0]).toBe(5);
    expect(down).toEqual([...down].sort((a, b) => b - a));
    await page.click('th button[data-sort="id"]');
    expect((await shownIds(page)).slice(0, 3)).toEqual(['broken', 'hostile', 'r001']);

    await page.click('.pager button[data-page="last"]');
    expect(await countText(page)).toBe(`rows 201–${records.length} of ${records.length}`);
    await page.click('button.worst-first');
    expect(await countText(page)).toBe(`rows 1–100 of ${records.length}`);
    expect((await shownIds(page))[errors]).toBe('hostile');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters by text and to the errors only', async () => {
    const { page, problems } = await open(reportUrl);
    await page.fill('input.filter', 'r017');
    await expect.poll(() => shownIds(page)).toEqual(['r017']);
    expect(await countText(page)).toBe(`rows 1–1 of 1 (filtered from ${records.length})`);

    const timeouts = records.filter((r) => r.error?.code === 'timeout').length;
    await page.fill('input.filter', 'TIMEOUT');
    await expect.poll(() => countText(page)).toBe(`rows 1–${timeouts} of ${timeouts} (filtered from ${records.length})`);

    await page.fill('input.filter', '');
    await page.check('input.errors-only');
    const errors = records.filter((r) => r.error !== null).length;
    await expect.poll(() => page.locator('table.grid tbody tr.item').count()).toBe(errors);
    expect(await page.locator('table.grid tbody tr.item:not(.errored)').count()).toBe(0);

    await page.fill('input.filter', 'no row has this text');
    await expect.poll(() => text(page, 'table.grid tbody td.empty')).toBe('No rows match.');
    expect(problems).toEqual([]);
    await page.close();
  });

  it("opens a row's detail: the judge input, the answer and the reasoning, all data shown as text", async () => {
    const { page, problems } = await open(reportUrl);
    await page.fill('input.filter', 'hostile');
    await expect.poll(() => shownIds(page)).toEqual(['hostile']);
    await page.click('table.grid tbody tr.item');
    const detail = page.locator('[data-detail="hostile"]');
    await detail.waitFor();
    const shown = await detail.innerText();
    expect(shown).toContain('<img src=x onerror="window.pwned=1"><script>window.pwned=2</script>');
    expect(shown).toContain('Question:\n<img src=y onerror="window.pwned=3">');
    expect(shown).toContain('</script><script>window.pwned=4</script>');
    expect(shown).toMatch(/score\s+1/);
    expect(shown).toMatch(/pass\s+fail/);
    expect(shown).toContain('You grade answers for factual correctness'); // the system message
    expect(await detail.locator('.message .role').allInnerTexts()).toEqual(['SYSTEM', 'USER']);
    // Nothing from the data became an element, and nothing ran.
    expect(await page.locator('img, main script').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-row.png') });

    await page.fill('input.filter', 'broken');
    await expect.poll(() => shownIds(page)).toEqual(['broken']);
    await page.click('table.grid tbody tr.item');
    expect(await page.locator('[data-detail="broken"] .error-text').innerText()).toBe('timeout: the request timed out after 60000 ms');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('compares two runs side by side, sortable by the difference', async () => {
    const changed = records.map((r) => (r.score !== null && r.id.endsWith('5') ? { ...r, score: 1, pass: false } : r));
    const fileB = await writeResults(path.join(dir, 'results-b.jsonl'), changed);
    const out = path.join(dir, 'compare.html');
    const { data } = await writeReport(out, [{ file: path.join(dir, 'results.jsonl') }, { file: fileB }]);
    const { page, problems } = await open(pathToFileURL(out).href);
    expect(await page.locator('article.run').count()).toBe(2);
    expect(await text(page, 'article.run[data-run="1"] [data-figure="mean"] .value')).toBe(summaryOf(changed).mean!.toFixed(2));
    expect(await text(page, '.compare [data-figure="difference"] .value')).toBe(data.comparison!.figures.find((f) => f.key === 'difference')!.value);
    expect(await page.locator('table.grid[data-table="compare"]').count()).toBe(1);
    // Largest drop first by default; the other way round after two clicks on the header.
    const differences = async () => (await page.locator('table.grid tbody tr.item td[data-key="difference"]').allInnerTexts()).filter((t) => t !== '').map(Number);
    const first = await differences();
    expect(first[0]).toBe(Math.min(...first));
    await page.click('th button[data-sort="difference"]');
    await page.click('th button[data-sort="difference"]');
    const reversed = await differences();
    expect(reversed).toEqual([...reversed].sort((a, b) => b - a));
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-compare.png'), fullPage: true });
    await page.click('.tabs button[data-view="run-1"]');
    expect(await page.locator('table.grid[data-table="run-1"]').count()).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows agreement with human labels: its figures and confusion matrix', async () => {
    const agreement = Agreement.parse({
      label_field: 'human', judge_field: 'pass', scale: 'binary', n: 9, skipped: { errors: 1, no_label: 0, no_judge_value: 0 },
      accuracy: 0.7778, accuracy_ci95: [0.5, 1], kappa: 0.55, kappa_ci95: null, kappa_weights: 'none', macro_f1: 0.75, macro_f1_ci95: null,
      spearman: null, spearman_ci95: null, kendall: null, kendall_ci95: null, pearson: null, pearson_ci95: null,
      confusion: { labels: ['fail', 'pass'], matrix: [[3, 1], [1, 4]] }, bootstrap: null, notes: [],
    });
    const out = path.join(dir, 'agreement.html');
    await writeReport(out, [{ file: path.join(dir, 'results.jsonl'), agreement }]);
    const { page, problems } = await open(pathToFileURL(out).href);
    const group = page.locator('[data-group="agreement"]');
    expect(await group.locator('[data-figure="accuracy"] .value').innerText()).toBe(percent(agreement.accuracy!));
    expect(await group.locator('[data-figure="accuracy"] .detail').innerText()).toBe('95% CI 50.0% to 100.0%');
    expect(await group.locator('[data-figure="kappa"] .value').innerText()).toBe('0.55');
    expect(await group.locator('[data-figure="macro_f1"] .value').innerText()).toBe('0.75');
    expect(await group.locator('table.confusion tbody tr').allInnerTexts()).toEqual(['fail\t3\t1', 'pass\t1\t4']);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("shows a panel's figures and, in a row's detail, each judge's vote, its error and its reasoning as text", async () => {
    const hostile = '<img src=z onerror="window.pwned=5">';
    const panelRecords = [...SCORE_PANEL, panelRecord('r6', [vote('judge-1', { score: 3, pass: false, reasoning: hostile }), vote('judge-2', { score: 4, pass: true }), vote('judge-3', 'timeout')], { score: 3.5, pass: false })];
    const out = path.join(dir, 'panel.html');
    await writeReport(out, [{ file: await writeResults(path.join(dir, 'panel.jsonl'), panelRecords) }]);
    const panel = summaryOf(panelRecords).panel!;
    const { page, problems } = await open(pathToFileURL(out).href);
    const group = page.locator('[data-group="panel"]');
    expect(await group.locator('[data-figure="alpha"] .value').innerText()).toBe(panel.alpha.value!.toFixed(3));
    expect(await group.locator('[data-figure="fewer_judges"] .value').innerText()).toBe(integer(panel.fewer_judges));
    expect(await group.locator('.panel-judge h4').allInnerTexts()).toEqual(['judge-1', 'judge-2', 'judge-3']);
    expect(await group.locator('[data-judge="judge-3"] [data-figure="failed"] .value').innerText()).toBe(integer(panel.judges[2]!.rows - panel.judges[2]!.graded));
    expect(await group.locator('[data-judge="judge-1"] [data-figure="mean"] .value').innerText()).toBe(panel.judges[0]!.mean!.toFixed(2));

    await page.fill('input.filter', 'r6');
    await expect.poll(() => shownIds(page)).toEqual(['r6']);
    await page.click('table.grid tbody tr.item');
    const votes = page.locator('[data-detail="r6"] .vote');
    await votes.first().waitFor();
    expect(await votes.locator('.vote-judge').allInnerTexts()).toEqual(['judge-1', 'judge-2', 'judge-3']);
    expect(await votes.nth(0).locator('.vote-grade').innerText()).toBe('score 3 · fail');
    expect(await votes.nth(0).locator('pre.reasoning').innerText()).toBe(hostile);
    expect(await votes.nth(2).locator('.error-text').innerText()).toBe('timeout: timeout from judge-3');
    expect(await page.locator('img, main script').count()).toBe(0);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-panel.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('ranks the systems of pairwise rows best first, each rating and win rate with its interval', async () => {
    const out = path.join(dir, 'ranking.html');
    const { data } = await writeReport(out, [{ file: await writeResults(path.join(dir, 'battles.jsonl'), tournament()) }]);
    const ranking = data.runs[0]!.ranking!;
    const { page, problems } = await open(pathToFileURL(out).href);
    const rows = page.locator('section.ranking table.ranked tbody tr');
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-system')))).toEqual(ranking.systems.map((line) => line.system));
    const range = (ci: [number, number] | null, show: (x: number) => string) => (ci ? `${show(ci[0])}–${show(ci[1])}` : '');
    const elo = (x: number) => x.toFixed(0);
    for (const line of ranking.systems) {
      const cell = (key: string) => page.locator(`section.ranking tr[data-system="${line.system}"] td[data-key="${key}"]`);
      expect(await cell('elo').innerText()).toBe(elo(line.elo));
      expect(await cell('elo_ci95').innerText()).toBe(line.system === ranking.baseline ? 'baseline' : range(line.elo_ci95, elo));
      expect(await cell('win_rate').innerText()).toBe(line.win_rate === null ? '' : `${percent(line.win_rate)} of ${integer(line.vs_baseline)}`);
      expect(await cell('win_rate_ci95').innerText()).toBe(range(line.win_rate_ci95, percent));
      // The interval drawn: a whisker and its two ends, around the rating's dot.
      expect(await cell('elo_bar').locator('line.whisker').count()).toBe(line.elo_ci95 ? 3 : 0);
      expect(await cell('elo_bar').locator('circle.dot').count()).toBe(1);
    }
    await page.locator('section.ranking').screenshot({ path: path.join(ARTIFACTS, 'report-ranking.png') });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('fits a narrow window without losing the table', async () => {
    const { page, problems } = await open(reportUrl, { width: 420, height: 800 });
    expect(await page.locator('table.grid tbody tr.item').count()).toBe(100);
    // The page itself never scrolls sideways; only the table does, inside its own box.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    await page.screenshot({ path: path.join(ARTIFACTS, 'report-narrow.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
