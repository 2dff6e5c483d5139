import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { computeStats } from '../../src/stats/run-stats.js';
import { tempDir } from '../helpers/io.js';

/** The repository's examples/ folder (prompts and scripts for the public judge datasets). */
export const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** The path of a file under examples/. */
export function example(relative: string): string {
  return path.join(EXAMPLES, relative);
}

/** Writes rows as JSONL (one object a line) and returns the file's path. */
export async function writeJsonl(file: string, rows: unknown[]): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, rows.map((row) => JSON.stringify(row)).join('\n') + '\n');
  return file;
}

/** Writes rows as one JSON array, as LLMBar, PandaLM and Topical-Chat ship, and returns the path. */
export async function writeJsonArray(file: string, rows: unknown[]): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(rows, null, 2));
  return file;
}

/** A fresh directory, and a file name in it. */
export async function tempFile(name: string): Promise<string> {
  return path.join(await tempDir(), name);
}

/** Runs one of the example scripts with this process's Node, as a user would; never rejects. */
export function runScript(script: string, args: string[], options: { cwd?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [example(script), ...args], { cwd: options.cwd, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** The lines of a JSONL text, parsed. */
export function parseJsonl(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** `verdict stats` on a results file, without bootstrap intervals. */
export function statsOf(file: string, labelField?: string, groupBy?: string) {
  return computeStats({ files: [file], labelField, groupBy, bootstrap: { resamples: 0, seed: 1 } });
}
