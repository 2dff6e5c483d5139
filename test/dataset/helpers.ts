import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { InputError } from '../../src/errors.js';
import type { Dataset, SourceRow } from '../../src/dataset/index.js';

/** A temp directory for the current test file, removed after its tests; `write` puts a file in it. */
export function useTempDir() {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'verdict-dataset-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return {
    path: (name: string) => join(dir, name),
    write: async (name: string, content: string | Buffer) => {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
  };
}

/** All rows of one pass. */
export async function collect(dataset: Dataset): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of dataset.rows()) rows.push(row);
  return rows;
}

/** Iterates a pass that must fail with an InputError; returns the rows served before it and the error. */
export async function collectUntilError(dataset: Dataset): Promise<{ rows: SourceRow[]; error: InputError }> {
  const rows: SourceRow[] = [];
  try {
    for await (const row of dataset.rows()) rows.push(row);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return { rows, error: error as InputError };
  }
  throw new Error(`expected an InputError, but ${rows.length} rows were read without one`);
}
