import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { InputError, UsageError } from '../errors.js';
import { stripBom } from '../dataset/source.js';
import { SUITE_KEYS, SuiteFile, type Suite, type SuiteKey } from './suite-file.js';
import { lineOf, type LocatedYaml } from './yaml-lines.js';
import { yamlData } from '../text/yaml-data.js';

/** A suites file read and checked: its suites in the order written, and where each value sits. */
export interface LoadedSuites {
  file: string;
  suites: { name: string; suite: Suite }[];
  yaml: LocatedYaml;
}

/**
 * Reads and checks a suites file. Every problem is an InputError naming the file, the line and the
 * key (`verdict.yaml:7 (field "suites.qa.concurrency")`), thrown before anything is run.
 */
export async function loadSuites(file: string): Promise<LoadedSuites> {
  let text: string;
  try {
    text = stripBom(await readFile(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read the suites file ${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = lines.linePos(yamlError.pos[0]).line;
    throw new InputError({ file, ...(line ? { line } : {}) }, `not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const yaml = { doc, lines };
  const expanded = yamlData(doc);
  if (!expanded.ok) throw new InputError({ file }, `not valid YAML: ${expanded.message}`);
  const data = expanded.data;
  const parsed = SuiteFile.safeParse(data);
  if (!parsed.success) throw firstInFile(parsed.error.issues.map((issue) => ({ error: issueError(file, yaml, issue), unknownKey: issue.code === 'unrecognized_keys' })));
  // zod gives a suite's keys in the schema's order; the header and its command line follow the file's.
  const written = (data as { suites: Record<string, object> }).suites;
  const inFileOrder = (name: string, suite: Suite) => Object.fromEntries(Object.keys(written[name]!).map((key) => [key, suite[key as SuiteKey]])) as Suite;
  return { file, suites: Object.entries(parsed.data.suites).map(([name, suite]) => ({ name, suite: inFileOrder(name, suite) })), yaml };
}

/** A problem with one suite's key, at the key's line (or the suite's, when the key is not in the file). */
export function suiteKeyError(loaded: LoadedSuites, name: string, key: SuiteKey, message: string, hint?: string): InputError {
  return located(loaded.file, loaded.yaml, ['suites', name, key], message, hint);
}

/** The problem nearest the top of the file, the one a reader meets first; on one line, a misspelt key (it explains a "required" beside it). */
function firstInFile(problems: { error: InputError; unknownKey: boolean }[]): InputError {
  const rank = ({ error, unknownKey }: (typeof problems)[number]) => (error.location.line ?? 0) * 2 + (unknownKey ? 0 : 1);
  return problems.reduce((first, problem) => (rank(problem) < rank(first) ? problem : first)).error;
}

function issueError(file: string, yaml: LocatedYaml, issue: z.core.$ZodIssue): InputError {
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const inSuite = issue.path.length === 2;
    const takes = inSuite ? `a suite takes ${SUITE_KEYS.join(', ')}` : 'the file holds suites: and nothing else';
    return located(file, yaml, [...issue.path, key], `unknown key "${key}"${inSuite ? ` in suite "${String(issue.path[1])}"` : ''}`, takes);
  }
  const key = issue.path.at(-1);
  // A suite name is checked as a key of `suites:`; why it was refused is the key's own issue.
  if (issue.code === 'invalid_key') return located(file, yaml, issue.path, `suite name "${String(key)}": ${issue.issues[0]?.message ?? issue.message}`);
  return located(file, yaml, issue.path, key === undefined ? issue.message : `${String(key)} ${issue.message}`);
}

function located(file: string, yaml: LocatedYaml, path: readonly PropertyKey[], message: string, hint?: string): InputError {
  const line = lineOf(yaml, path);
  const field = path.map(String).join('.');
  return new InputError({ file, ...(line !== undefined ? { line } : {}), ...(field ? { field } : {}) }, message, hint);
}
