import { describe, expect, it } from 'vitest';
import { runAgainstEmulator } from '../helpers/run.js';
import { statsOf, tempFile, writeJsonArray } from './helpers.js';

/** LLMBar's shape: a JSON array of {input, output_1, output_2, label: 1|2}, with no id. */
const LLMBAR_ROWS = [
  { input: 'Reply with one word: the colour of the sky on a clear day.', output_1: 'Blue.', output_2: 'The sky is usually blue on a clear day.', label: 1 },
  { input: 'List two prime numbers.', output_1: '4, 9', output_2: '2, 3', label: 2 },
  { input: 'Translate "bonjour" into English.', output_1: 'Hello.', output_2: 'Bonjour means good day in French, which is nice.', label: 1 },
];

describe('LLMBar as it stands, with the built-in pairwise prompt', () => {
  it('reads output_1 / output_2 with --pair, judges both orders, numbers the rows, and stats reads label 1|2', async () => {
    const dataset = await writeJsonArray(await tempFile('dataset.json'), LLMBAR_ROWS);
    const { records, stats, out } = await runAgainstEmulator({}, { prompt: 'pairwise', dataset, pair: 'output_1,output_2' });
    expect(stats.requests).toBe(6);
    // Both orders of row 2: its first output shown first, then second.
    expect(stats.log.some((e) => /Answer A:\n4, 9\n\nAnswer B:\n2, 3/.test(e.prompt))).toBe(true);
    expect(stats.log.some((e) => /Answer A:\n2, 3\n\nAnswer B:\n4, 9/.test(e.prompt))).toBe(true);
    // No id field: the ids are the 1-based row numbers.
    expect(records.map((r) => r.id).sort()).toEqual(['1', '2', '3']);
    expect(records.every((r) => r.error === null && r.samples?.length === 2 && r.flipped !== null)).toBe(true);

    const report = await statsOf(out, 'label');
    expect(report.summary.agreement).toMatchObject({ judge_field: 'verdict', scale: 'pairwise', n: 3 });
    // Gold label 1 is A, 2 is B: the confusion matrix's human rows hold 2 A and 1 B.
    const matrix = report.summary.agreement!.confusion!.matrix;
    expect(matrix.map((row) => row.reduce((a, b) => a + b, 0))).toEqual([2, 1, 0]);
    expect(report.summary.pairwise?.swapped).toBe(3);
    // LLMBar's own figures: each order's accuracy, their mean, and the positional agreement.
    const orders = records.map((r) => ({
      label: r.row.label === 1 ? 'A' : 'B',
      ab: r.samples!.find((s) => s.order === 'AB')!.verdict,
      ba: r.samples!.find((s) => s.order === 'BA')!.verdict,
    }));
    const ab = orders.filter((o) => o.ab === o.label).length / 3;
    const ba = orders.filter((o) => o.ba === o.label).length / 3;
    const byOrder = report.summary.agreement?.by_order;
    expect(byOrder?.n).toBe(3);
    expect(byOrder?.ab_accuracy).toBeCloseTo(ab, 12);
    expect(byOrder?.ba_accuracy).toBeCloseTo(ba, 12);
    expect(byOrder?.mean_accuracy).toBeCloseTo((ab + ba) / 2, 12);
    expect(byOrder?.positional_agreement).toBeCloseTo(orders.filter((o) => o.ab === o.ba).length / 3, 12);
  });
});
