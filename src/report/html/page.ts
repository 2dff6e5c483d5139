import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ReportData } from './report-data.js';

// The page's stylesheet and script are plain files beside this module's source. Both src/report/html/
// and dist/report/html/ are three folders below the package root, so one path serves tests and the
// installed CLI alike (package.json's "files" ships the assets).
const ASSETS_DIR = new URL('../../../src/report/html/assets/', import.meta.url);

/** The page script's parts: DOM helpers, charts, the table, row details, the ranking, and the page that uses them. */
const SCRIPTS = ['dom.js', 'charts.js', 'table.js', 'details.js', 'ranking.js', 'app.js'];

function readAsset(name: string): string {
  const text = readFileSync(fileURLToPath(new URL(name, ASSETS_DIR)), 'utf8');
  // The page inlines it: such a sequence would end its element early.
  if (/<\/(style|script)|<!--/i.test(text)) throw new Error(`${name} must not contain </style>, </script> or <!--`);
  return text;
}

/**
 * Data as the text of a `<script type="application/json">`: `<` (so no `</script` or `<!--`), `>`,
 * `&` and the two line separators JavaScript once treated as newlines are written as \u escapes,
 * which JSON.parse reads back unchanged.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function sha256Source(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/**
 * The report page: one file with its stylesheet, script and data inline. Its Content-Security-Policy
 * allows only that stylesheet and script (by hash) and no network at all, so the page works offline
 * and cannot load anything, and no text from the data can run as script even if it reached markup.
 */
export function renderPage(data: ReportData): string {
  const css = readAsset('report.css');
  const scripts = SCRIPTS.map(readAsset);
  // One script: the files share one function scope, in the order they depend on each other.
  const js = `(() => {\n'use strict';\n${scripts.join('\n')}\n})();\n`;
  const policy = [
    "default-src 'none'",
    `script-src ${sha256Source(js)}`,
    `style-src ${sha256Source(css)}`,
    "img-src 'none'",
    "connect-src 'none'",
    "form-action 'none'",
    "base-uri 'none'",
  ].join('; ');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${policy}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="generator" content="verdict report">',
    '<title>verdict report</title>',
    `<style>${css}</style>`,
    '</head>',
    '<body>',
    '<noscript><p>This report draws its figures and table with JavaScript; open it in a browser with scripts on.</p></noscript>',
    '<main id="app" aria-busy="true"><p class="loading">Loading the report…</p></main>',
    // The SVG namespace comes from this element, so the script holds no URL at all.
    '<svg id="svg-namespace" hidden></svg>',
    `<script type="application/json" id="report-data">${jsonForScript(data)}</script>`,
    `<script>${js}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
