import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.js';
import { tempDir } from '../helpers/io.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const lines = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ id: `r${i}`, text: 'x'.repeat(200) })).join('\n') + '\n';

async function datasetFile(content: string): Promise<string> {
  const file = path.join(await tempDir(), 'data.jsonl');
  await writeFile(file, content);
  return file;
}

describe('a dataset digest', () => {
  it('comes from the first full pass, without reading the file again', async () => {
    const content = lines(2_000); // several read chunks
    const file = await datasetFile(content);
    const dataset = await openDataset(file);
    let rows = 0;
    for await (const _row of dataset.rows()) rows++;
    expect(rows).toBe(2_000);
    // Changed on disk after the pass: a digest read afresh would see it.
    await writeFile(file, 'changed\n');
    expect(await dataset.digest()).toBe(sha256(content));
  });

  it('reads the file when the first pass stopped early', async () => {
    const content = lines(2_000);
    const file = await datasetFile(content);
    const dataset = await openDataset(file);
    for await (const row of dataset.rows()) if (row.rowNumber === 10) break;
    expect(await dataset.digest()).toBe(sha256(content));
  });

  it('reads the file when asked before any pass, and later passes still read every row', async () => {
    const content = lines(50);
    const dataset = await openDataset(await datasetFile(content));
    expect(await dataset.digest()).toBe(sha256(content));
    for (let pass = 0; pass < 2; pass++) {
      let rows = 0;
      for await (const _row of dataset.rows()) rows++;
      expect(rows).toBe(50);
    }
  });

  it('covers stdin the same way, whose bytes serve every pass', async () => {
    const content = lines(20);
    const dataset = await openDataset('-', { stdin: Readable.from([Buffer.from(content)]) });
    for await (const _row of dataset.rows());
    expect(await dataset.digest()).toBe(sha256(content));
    let rows = 0;
    for await (const _row of dataset.rows()) rows++;
    expect(rows).toBe(20);
  });
});
