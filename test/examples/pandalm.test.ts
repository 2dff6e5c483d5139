import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/prompt/load.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { example, parseJsonl, runScript, statsOf, tempFile, writeJsonArray, writeJsonl } from './helpers.js';

const PROMPT = example('pandalm/pairwise.md');

/** PandaLM's shape: a JSON array with idx, instruction, an input that may be empty, response1/2 and three annotators (0 tie, 1, 2). */
const PANDALM_ROWS = [
  {
    idx: 10,
    motivation_app: 'Grammarly',
    cmp_key: 'model-x_model-y',
    instruction: 'Make this sentence shorter.',
    input: 'In the event that it rains, the picnic will be moved to a later date.',
    response1: 'If it rains, the picnic will be postponed.',
    response2: 'The picnic is on.',
    annotator1: 1,
    annotator2: 1,
    annotator3: 0,
  },
  {
    idx: 11,
    motivation_app: 'Wolfram alpha',
    cmp_key: 'model-x_model-y',
    instruction: 'What is 12 squared?',
    input: '',
    response1: '124',
    response2: '144',
    annotator1: 2,
    annotator2: 2,
    annotator3: 2,
  },
  {
    idx: 12,
    motivation_app: 'Gmail',
    cmp_key: 'model-x_model-y',
    instruction: 'Write a one-line greeting.',
    input: '',
    response1: 'Hello there!',
    response2: 'Hi there!',
    annotator1: 0,
    annotator2: 1,
    annotator3: 2,
  },
];

describe('examples/pandalm/pairwise.md', () => {
  it('compares response1 and response2, and shows the input only when the row has one', async () => {
    const prompt = await loadPrompt(PROMPT);
    expect(prompt.settings).toMatchObject({ mode: 'pairwise', pair: { a: 'response1', b: 'response2' }, swap: true });
    const where = { file: 'testset.json', rowNumber: 1 };
    const withInput = prompt.template.render(PANDALM_ROWS[0] as never, where).map((m) => m.content).join('\n');
    expect(withInput).toContain('Input:\nIn the event that it rains');
    expect(withInput).toMatch(/Response A:\nIf it rains, the picnic will be postponed\.\n\nResponse B:\nThe picnic is on\./);
    const withoutInput = prompt.template.render(PANDALM_ROWS[1] as never, where).map((m) => m.content).join('\n');
    expect(withoutInput).not.toContain('Input:');
    expect(withoutInput).toContain('What is 12 squared?');
    // The swapped order shows response2 first.
    const swapped = prompt.template.renderSwapped!(PANDALM_ROWS[1] as never, where).map((m) => m.content).join('\n');
    expect(swapped).toMatch(/Response A:\n144\n\nResponse B:\n124/);
  });

  it('grades the test set as it stands (JSON array, --id-field idx) in both orders; stats reads an annotator', async () => {
    const dataset = await writeJsonArray(await tempFile('testset-v1.json'), PANDALM_ROWS);
    const { records, stats, out } = await runAgainstEmulator({}, { prompt: PROMPT, dataset, idField: 'idx' });
    expect(stats.requests).toBe(6);
    expect(records.map((r) => r.id).sort()).toEqual(['10', '11', '12']);
    expect(records.every((r) => r.error === null && ['A', 'B', 'tie'].includes(r.verdict ?? ''))).toBe(true);

    const report = await statsOf(out, 'annotator1');
    // 0 is a tie, 1 response1 (A), 2 response2 (B): one of each in the human rows.
    expect(report.summary.agreement).toMatchObject({ judge_field: 'verdict', scale: 'pairwise', n: 3 });
    expect(report.summary.agreement!.confusion!.matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([1, 1, 1]);
  });
});

describe('examples/pandalm/add-majority.js', () => {
  it("adds the annotators' majority to each record, null where all three differ, for stats to compare with", async () => {
    const dataset = await writeJsonArray(await tempFile('testset-v1.json'), PANDALM_ROWS);
    const { out } = await runAgainstEmulator({}, { prompt: PROMPT, dataset, idField: 'idx' });
    const withMajority = await tempFile('majority.jsonl');
    const { code, stderr } = await runScript('pandalm/add-majority.js', [out, '-o', withMajority]);
    expect(code).toBe(0);
    expect(stderr).toMatch(/3 records written to .*, 2 with a majority/);

    const { readFile } = await import('node:fs/promises');
    const records = parseJsonl(await readFile(withMajority, 'utf8'));
    const majority = Object.fromEntries(records.map((r) => [r.id, (r.row as Record<string, unknown>).majority]));
    expect(majority).toEqual({ '10': 1, '11': 2, '12': null });
    // Everything else in a record is as verdict wrote it.
    const original = parseJsonl(await readFile(out, 'utf8'));
    for (const record of original) {
      const changed = records.find((r) => r.id === record.id)!;
      expect({ ...changed, row: { ...(changed.row as object), majority: undefined } }).toEqual({ ...record, row: { ...(record.row as object), majority: undefined } });
    }

    const report = await statsOf(withMajority, 'majority');
    expect(report.summary.agreement).toMatchObject({ n: 2, skipped: { no_label: 1 } });
  });

  it('refuses to overwrite the file it reads, and a file that is not verdict results', async () => {
    const notResults = await writeJsonl(await tempFile('rows.jsonl'), [{ idx: 1, annotator1: 1 }]);
    expect((await runScript('pandalm/add-majority.js', [notResults, '-o', notResults])).stderr).toMatch(/another file/);
    const { code, stderr } = await runScript('pandalm/add-majority.js', [notResults]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/not a verdict record/);
  });
});
