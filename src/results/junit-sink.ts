import { createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { openAppender, type FileAppender } from './file-appender.js';
import type { ResultRecord } from './record.js';
import type { ResultSink } from './sink.js';

// Everything XML 1.0 forbids (C0 controls but tab, newline and return; lone surrogates; U+FFFE and
// U+FFFF). A parser rejects the whole file for one of them, so they are dropped, not escaped.
const ILLEGAL_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text made safe for an XML element: illegal characters dropped, `&`, `<` and `>` escaped (so `]]>` is too). */
export function xmlText(text: string): string {
  return text.replace(ILLEGAL_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text made safe for a double-quoted XML attribute; tab, newline and return survive attribute normalisation. */
export function xmlAttribute(text: string): string {
  return xmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

function seconds(ms: number): string {
  return String(Number((ms / 1000).toFixed(3)));
}

function scoreText(score: number): string {
  return Number.isInteger(score) ? String(score) : String(Number(score.toFixed(4)));
}

/** What a graded record says, in a few words: `score 4, label "good", verdict A`. */
function gradeWords(record: ResultRecord): string {
  const words: string[] = [];
  if (record.score !== null) words.push(`score ${scoreText(record.score)}`);
  if (record.label !== null) words.push(`label "${record.label}"`);
  if (record.verdict !== null) words.push(`verdict ${record.verdict}`);
  if (record.pass !== null) words.push(record.pass ? 'pass' : 'fail');
  return words.join(', ');
}

/** How a record counts in a JUnit report. */
export type JunitOutcome = 'passed' | 'failure' | 'error';

/** An error row is a JUnit error, a graded row judged a fail a failure; anything else judged passes. */
export function junitOutcome(record: ResultRecord): JunitOutcome {
  if (record.error !== null) return 'error';
  return record.pass === false ? 'failure' : 'passed';
}

/** One record as a `<testcase>` element (with its newline). */
export function testcaseXml(record: ResultRecord): string {
  const open =
    `  <testcase name="${xmlAttribute(record.id)}" classname="${xmlAttribute(`verdict.${record.judge.prompt}`)}"` +
    ` time="${seconds(record.latency_ms)}"`;
  const reasoning = record.reasoning ?? '';
  switch (junitOutcome(record)) {
    case 'error': {
      const error = record.error!;
      return `${open}>\n    <error message="${xmlAttribute(error.message)}" type="${xmlAttribute(error.code)}"/>\n  </testcase>\n`;
    }
    case 'failure': {
      const message = record.score === null ? 'judged fail' : `score ${scoreText(record.score)} (below pass)`;
      return (
        `${open}>\n    <failure message="${xmlAttribute(message)}" type="failed_grade">${xmlText(reasoning)}</failure>\n` +
        `  </testcase>\n`
      );
    }
    case 'passed': {
      const words = gradeWords(record);
      const out = [words, reasoning].filter((part) => part !== '').join('\n');
      return out === '' ? `${open}/>\n` : `${open}>\n    <system-out>${xmlText(out)}</system-out>\n  </testcase>\n`;
    }
  }
}

/** The rows of one judge prompt: a `<testsuite>`, its test cases kept in a sidecar file until close. */
interface Suite {
  prompt: string;
  sidecar: string;
  appender: Promise<FileAppender>;
  tests: number;
  failures: number;
  errors: number;
  timeMs: number;
}

function countsXml(counts: { tests: number; failures: number; errors: number; timeMs: number }): string {
  return `tests="${counts.tests}" failures="${counts.failures}" errors="${counts.errors}" time="${seconds(counts.timeMs)}"`;
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
}

/**
 * Creates a JUnit XML results file: one `<testsuite>` per judge prompt, one `<testcase>` per row.
 *
 * A JUnit document is only valid once its closing tags and counts are written, so the file itself
 * appears at close, whole, by rename. Until then each row's `<testcase>` goes, as it completes, to a
 * sidecar beside it (`<path>.partial`), through the same appender as JSONL results: memory stays
 * bounded however many rows a run has, and `write` keeps its promise that the row is in the OS.
 * The sidecars are removed once the document is in place.
 */
export async function openJunitSink(path: string): Promise<ResultSink> {
  const suites = new Map<string, Suite>();
  let closing: Promise<void> | undefined;

  const suiteFor = (prompt: string): Suite => {
    let suite = suites.get(prompt);
    if (suite === undefined) {
      const sidecar = suites.size === 0 ? `${path}.partial` : `${path}.partial-${suites.size + 1}`;
      suite = { prompt, sidecar, appender: openAppender(sidecar), tests: 0, failures: 0, errors: 0, timeMs: 0 };
      // A failed open surfaces at the write that awaits it; this keeps it from being unhandled meanwhile.
      suite.appender.catch(() => {});
      suites.set(prompt, suite);
    }
    return suite;
  };

  const assemble = async (): Promise<void> => {
    const all = [...suites.values()];
    const closed = await Promise.allSettled(all.map(async (suite) => (await suite.appender).close()));
    const failure = closed.find((outcome) => outcome.status === 'rejected');
    if (failure !== undefined) throw failure.reason;

    const total = { tests: 0, failures: 0, errors: 0, timeMs: 0 };
    for (const suite of all) {
      total.tests += suite.tests;
      total.failures += suite.failures;
      total.errors += suite.errors;
      total.timeMs += suite.timeMs;
    }
    // Beside the target, so that the rename stays within one file system and is atomic.
    const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.tmp`);
    const handle = await open(temp, 'w');
    try {
      const put = (text: string) => writeAll(handle, Buffer.from(text, 'utf8'));
      await put(`<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="verdict" ${countsXml(total)}>\n`);
      for (const suite of all) {
        await put(` <testsuite name="${xmlAttribute(suite.prompt)}" ${countsXml(suite)} skipped="0">\n`);
        for await (const chunk of createReadStream(suite.sidecar)) await writeAll(handle, chunk as Buffer);
        await put(' </testsuite>\n');
      }
      await put('</testsuites>\n');
      await handle.sync();
      await handle.close();
      await rename(temp, path);
    } catch (error) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw error;
    }
    await Promise.all(all.map((suite) => rm(suite.sidecar, { force: true })));
  };

  return {
    path,
    async write(record) {
      if (closing !== undefined) throw new Error(`${path} is already closed`);
      const suite = suiteFor(record.judge.prompt);
      // Counted before the append so that a record is counted exactly when its fragment is queued.
      const outcome = junitOutcome(record);
      suite.tests += 1;
      if (outcome === 'failure') suite.failures += 1;
      if (outcome === 'error') suite.errors += 1;
      suite.timeMs += record.latency_ms;
      await (await suite.appender).append(testcaseXml(record));
    },
    close() {
      closing ??= assemble();
      return closing;
    },
  };
}
