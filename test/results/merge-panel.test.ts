import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SummaryAccumulator, type Summary } from '../../src/stats/summary.js';
import { runBin } from '../helpers/spawn.js';
import { writeResults } from '../commands/helpers.js';
import { SCORE_PANEL } from '../stats/panel-fixtures.js';
import { useTempDir } from './helpers.js';

const temp = useTempDir();
const lines = async (file: string) => (await readFile(file, 'utf8')).trim().split('\n');

describe("verdict merge of a panel's shards", () => {
  it("keeps every vote, and the merged summary has the panel's section as for the records whole", async () => {
    const one = await writeResults(temp.path('shard1.jsonl'), SCORE_PANEL.slice(0, 2));
    const two = await writeResults(temp.path('shard2.jsonl'), SCORE_PANEL.slice(2));
    const { code, stderr } = await runBin(['merge', one, two, '-o', temp.path('merged.jsonl'), '--summary', temp.path('merged.json')]);
    expect(stderr).toMatch(/merged 5 records from 2 files/);
    expect(code).toBe(0);
    // Byte for byte: the merged file is the shards' lines, votes and all.
    expect(await lines(temp.path('merged.jsonl'))).toEqual([...(await lines(one)), ...(await lines(two))]);
    expect(JSON.parse((await lines(temp.path('merged.jsonl')))[1]!).votes).toHaveLength(3);

    const accumulator = new SummaryAccumulator();
    for (const record of SCORE_PANEL) accumulator.add(record);
    const whole = accumulator.finish({ status: 'complete', rows: 5, requests: 0, retries: 0, rateLimited: 0, wallMs: 0, model: '', prompt: '' });
    const merged = JSON.parse(await readFile(temp.path('merged.json'), 'utf8')) as Summary;
    expect(merged.panel).toEqual(JSON.parse(JSON.stringify(whole.panel)));
    expect(merged.panel).toMatchObject({ rows: 5, fewer_judges: 2 });
  });
});
