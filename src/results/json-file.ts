import { readFile, rename, writeFile } from 'node:fs/promises';
import type * as z from 'zod';
import { UsageError } from '../errors.js';

/**
 * Reads a JSON file verdict wrote beside the results (a manifest, a batch state), checked by its
 * schema. Undefined when there is none; a UsageError, saying what it should be and what to do,
 * when the file is something else.
 */
export async function readJsonFile<T>(path: string, schema: z.ZodType<T>, what: string, hint: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${path} is not ${what}`, hint);
  return parsed.data;
}

/** Writes JSON atomically: a temporary file, then a rename, so a crash leaves the old file or the new. */
export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}
