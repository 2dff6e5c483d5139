import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDataset } from '../../src/dataset/open.js';
import { inShard } from '../../src/dataset/shard.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { preflight } from '../../src/run/preflight.js';
import { qaDataset } from '../helpers/run.js';
import { tempDir } from '../helpers/io.js';

const idField = { name: 'id', explicit: false };

describe('preflight', () => {
  it("lists this shard's ids in dataset order", async () => {
    const dataset = await openDataset(await qaDataset(40));
    const prompt = await loadPrompt('correctness');
    const shard = { index: 2, count: 3 };
    const report = await preflight(dataset, prompt, { idField, shard });
    const expected = Array.from({ length: 40 }, (_, i) => `q${i + 1}`).filter((id) => inShard(id, shard));
    expect([...report.ids]).toEqual(expected);
    expect(report.rows).toBe(expected.length);
    // Every shard's rows are counted too: the rows of this one over these are its share of the limits.
    expect(report.allRows).toBe(40);
  });

  it('names the row that first had a repeated id, comparing ids exactly', async () => {
    // Ids that look alike but are different strings: case, Unicode normalisation, a lone surrogate
    // (which is neither U+FFFD nor another lone surrogate), leading zeros.
    const ids = ['row-1', 'ROW-1', 'é', 'e\u0301', '\uFFFD', '\uD800', '\uDC00', '\uD83D', '🙂', '1', '01'];
    const rows = [...ids, 'e\u0301'].map((id) => JSON.stringify({ id, input: 'q', reference: 'r', output: 'o' }));
    const dir = await tempDir();
    const file = path.join(dir, 'ids.jsonl');
    await writeFile(file, `${rows.join('\n')}\n`);
    const prompt = await loadPrompt('correctness');
    await expect(preflight(await openDataset(file), prompt, { idField, limit: ids.length })).resolves.toMatchObject({ rows: ids.length });
    await expect(preflight(await openDataset(file), prompt, { idField })).rejects.toThrow(/ids\.jsonl:12 \(row 12, field "id"\): duplicate id "e\u0301": row 4 has it too/);
  });
});
