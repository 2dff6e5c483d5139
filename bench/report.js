// bench/report: does an HTML report of 10,000 rows open fast and stay responsive?
//
// Generates a results file of --rows records (deterministic: bench/lib/rows.js rows, graded by the
// built-in correctness prompt, with scores 1-5, fails, and 2% errors), builds its report with the
// built verdict (`verdict report`'s own writeReport, judge input rendered for every row), then opens
// it --rounds times in headless Chromium (Debian's /usr/bin/chromium through playwright-core, a fresh
// profile each round) and measures, inside the page:
//
//   load    navigation start to the first table row on screen (performance.now() when it appears)
//   sort    a click on the "score" header until the next frame has been drawn: 10k rows re-sorted, one page re-rendered
//   filter  the filter box's input event until the count shows the result (includes its 120 ms typing pause)
//   page    "next page" until the next frame
//   open    opening a row's detail (judge input, answer, reasoning) until the next frame
//
// plus the file size, the build time, the page's JS heap and DOM node count (Chrome's Performance
// metrics) after load. Each round's figures are checked: the table shows 100 rows, the count says
// all rows, the sort and the filter changed what is shown as they should.
//
//   npm run bench:report -- [--rows 10000] [--rounds 5] [--json] [--keep] [--chromium /usr/bin/chromium]
//
// See bench/README.md, "report".
import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { makeRow, prng, sentence } from './lib/rows.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.resolve(here, '../dist');

const { values: flags } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '5' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const rows = positive('--rows', flags.rows);
const rounds = positive('--rounds', flags.rounds);

function positive(name, text) {
  const n = Number(text);
  if (Number.isInteger(n) && n >= 1) return n;
  process.stderr.write(`bench/report: ${name} must be a whole number of at least 1, got ${JSON.stringify(text)}\n`);
  process.exit(2);
}

class BenchFailure extends Error {}
function check(condition, message) {
  if (!condition) throw new BenchFailure(message);
}

const LAUNCH_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const reasons = ['The answer agrees with the reference on every point.', 'The answer misses an essential point of the reference.',
  'The answer contradicts the reference.', 'The answer is correct but leaves out a detail.', 'The answer is off-topic.'];

/** The records of a run of `n` rows graded by the built-in correctness prompt. */
function makeRecords(n, promptSha) {
  const random = prng(7);
  return Array.from({ length: n }, (_, index) => {
    const row = makeRow(index, random);
    const base = {
      id: row.id, score: null, pass: null, verdict: null, label: null, criteria: null, reasoning: null, samples: null,
      agreement: null, flipped: null, scoring: null, error: null,
      judge: { model: 'gpt-4o-mini', prompt: 'correctness', prompt_sha: promptSha },
      attempts: 1, latency_ms: 300 + Math.floor(random() * 900),
      usage: { prompt_tokens: 280 + Math.floor(random() * 80), completion_tokens: 40 + Math.floor(random() * 30), cached_tokens: 0 },
      row,
    };
    if (random() < 0.02) return { ...base, attempts: 7, usage: { prompt_tokens: 0, completion_tokens: 0, cached_tokens: 0 }, error: { code: 'timeout', message: 'the request timed out after 60000 ms' } };
    const score = 1 + Math.floor(random() * 5);
    return { ...base, score, pass: score >= 4, scoring: 'answer', reasoning: `${reasons[score - 1]} ${sentence(random, 12, 30)}` };
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Runs `action` in the page and resolves, in page milliseconds, once the frame after it has been drawn. */
const untilNextFrame = (page, action) =>
  page.evaluate(async (source) => {
    const start = performance.now();
    new Function(source)();
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    return performance.now() - start;
  }, action);

let chromiumVersion = 'unknown';

async function measureRound(chromium, executablePath, url) {
  const browser = await chromium.launch({ executablePath, headless: true, args: LAUNCH_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems = [];
    page.on('pageerror', (error) => problems.push(error.message));
    const requests = [];
    page.on('request', (request) => requests.push(request.url()));
    // The moment the first table row is attached, taken inside the page on the page's own clock.
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.querySelector('table.grid tbody tr.item')) {
          window.__firstRowMs = performance.now();
          observer.disconnect();
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(url);
    await page.waitForSelector('table.grid tbody tr.item');
    // Then until that row has been painted.
    const loadMs = await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))));
    const firstRowMs = await page.evaluate(() => window.__firstRowMs);
    check((await page.locator('table.grid tbody tr.item').count()) === 100, 'the table should show 100 rows');
    check((await page.locator('.table-view .count').first().innerText()) === `rows 1–100 of ${rows.toLocaleString('en-US')}`, 'the count should name every row');

    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const metrics = Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));

    const sortMs = await untilNextFrame(page, 'document.querySelector(\'th button[data-sort="score"]\').click()');
    check((await page.getAttribute('th[data-key="score"]', 'aria-sort')) === 'ascending', 'the sort should have taken');
    check((await page.locator('table.grid tbody tr.item td[data-key="score"]').first().innerText()) === '1', 'the lowest score should come first');

    const filterMs = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const input = document.querySelector('input.filter');
          const count = document.querySelector('.table-view .count');
          const start = performance.now();
          new MutationObserver((_, observer) => {
            observer.disconnect();
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
          }).observe(count, { childList: true, characterData: true, subtree: true });
          input.value = 'photosynthesis';
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }),
    );
    const filtered = await page.locator('.table-view .count').first().innerText();
    check(/filtered from/.test(filtered), `the filter should have narrowed the rows, the count says ${filtered}`);
    const secondFilterMs = await page.evaluate(
      () =>
        new Promise((resolve) => {
          const input = document.querySelector('input.filter');
          const count = document.querySelector('.table-view .count');
          const start = performance.now();
          new MutationObserver((_, observer) => {
            observer.disconnect();
            requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - start), 0));
          }).observe(count, { childList: true, characterData: true, subtree: true });
          input.value = 'timeout';
          input.dispatchEvent(new Event('input', { bubbles: true }));
        }),
    );
    await untilNextFrame(page, "const i = document.querySelector('input.filter'); i.value = ''; i.dispatchEvent(new Event('input', { bubbles: true }))");
    await page.waitForFunction(() => !document.querySelector('.table-view .count').textContent.includes('filtered'));
    const pageMs = await untilNextFrame(page, 'document.querySelector(\'.pager button[data-page="next"]\').click()');
    check((await page.locator('.table-view .count').first().innerText()).startsWith('rows 101–200'), 'next should show the second page');
    const openMs = await untilNextFrame(page, "document.querySelector('table.grid tbody tr.item').click()");
    check((await page.locator('tr.detail .message').count()) === 2, 'an opened row should show its two judge-input messages');

    check(problems.length === 0, `the page reported errors: ${problems.join('; ')}`);
    check(requests.length === 1 && requests[0] === url, `the page should request nothing but itself, it requested ${requests.join(', ')}`);
    chromiumVersion = browser.version();
    return {
      load_ms: loadMs,
      first_row_ms: firstRowMs,
      sort_ms: sortMs,
      filter_ms: filterMs,
      filter_again_ms: secondFilterMs,
      page_ms: pageMs,
      open_ms: openMs,
      js_heap_mb: metrics.JSHeapUsedSize / 1e6,
      dom_nodes: metrics.Nodes,
    };
  } finally {
    await browser.close();
  }
}

async function main() {
  check(existsSync(path.join(dist, 'report/html/build-report.js')), 'dist/ has no report builder: run `npm run build` first');
  check(existsSync(flags.chromium), `no Chromium at ${flags.chromium} (install Debian's chromium, or give --chromium)`);
  const { chromium } = await import('playwright-core');
  const { loadPrompt } = await import(pathToFileURL(path.join(dist, 'prompt/load.js')).href);
  const { writeReport } = await import(pathToFileURL(path.join(dist, 'report/html/build-report.js')).href);

  const dir = await mkdtemp(path.join(os.tmpdir(), 'verdict-bench-report-'));
  try {
    const results = path.join(dir, 'results.jsonl');
    const records = makeRecords(rows, (await loadPrompt('correctness')).sha);
    await writeFile(results, records.map((record) => `${JSON.stringify(record)}\n`).join(''));
    const report = path.join(dir, 'report.html');
    const buildStart = performance.now();
    const { bytes, data } = await writeReport(report, [{ file: results }]);
    const buildMs = performance.now() - buildStart;
    check(data.runs[0].rows.length === rows, 'the report should hold every row');
    check(data.runs[0].rows.every((row) => row.input !== null), 'every row should have its judge input rendered');

    const samples = [];
    for (let round = 1; round <= rounds; round++) {
      samples.push(await measureRound(chromium, flags.chromium, pathToFileURL(report).href));
      if (!flags.json) process.stderr.write(`round ${round}/${rounds}: load ${samples.at(-1).load_ms.toFixed(0)} ms\n`);
    }
    const keys = Object.keys(samples[0]);
    const medians = Object.fromEntries(keys.map((key) => [key, median(samples.map((sample) => sample[key]))]));
    const outcome = {
      rows,
      rounds,
      results_bytes: (await stat(results)).size,
      report_bytes: bytes,
      build_ms: buildMs,
      distinct_texts: data.texts.length,
      chromium: chromiumVersion,
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      medians,
      samples,
    };
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(outcome, null, 2)}\n`);
    } else {
      const mb = (n) => (n / 1e6).toFixed(1);
      const ms = (n) => n.toFixed(0);
      console.log(`bench/report: ${rows.toLocaleString('en-US')} rows, ${rounds} rounds, median of the rounds`);
      console.log(`  results file      ${mb(outcome.results_bytes)} MB`);
      console.log(`  report file       ${mb(bytes)} MB (${data.texts.length.toLocaleString('en-US')} distinct judge-input texts)`);
      console.log(`  build             ${ms(buildMs)} ms (node, verdict report)`);
      console.log(`  load              ${ms(medians.load_ms)} ms to the first table page painted (first row attached at ${ms(medians.first_row_ms)} ms)`);
      console.log(`  sort              ${ms(medians.sort_ms)} ms (score column, all rows)`);
      console.log(`  filter            ${ms(medians.filter_ms)} ms first (builds the search text), ${ms(medians.filter_again_ms)} ms next; both include the 120 ms typing pause`);
      console.log(`  next page         ${ms(medians.page_ms)} ms`);
      console.log(`  open a row        ${ms(medians.open_ms)} ms`);
      console.log(`  after load        ${medians.js_heap_mb.toFixed(0)} MB JS heap, ${Math.round(medians.dom_nodes).toLocaleString('en-US')} DOM nodes`);
      console.log(`  machine           ${outcome.cpu}, ${outcome.cores} cores, Node ${process.version}, Chromium ${outcome.chromium}`);
    }
  } finally {
    if (flags.keep) process.stderr.write(`kept ${dir}\n`);
    else await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`bench/report: ${error instanceof BenchFailure ? 'check failed: ' : ''}${error.message}\n`);
  process.exit(1);
});
