import { describe, expect, it } from 'vitest';
import { loadPrompt } from '../../src/prompt/load.js';
import { runAgainstEmulator } from '../helpers/run.js';
import { example, statsOf, tempFile, writeJsonArray } from './helpers.js';

const PROMPT = example('topical-chat/dialogue-criteria.md');
const ASPECTS = ['naturalness', 'coherence', 'engagingness', 'groundedness'];

/** Topical-Chat's shape: a JSON array of {source, context, system_output, system_id, scores: {...}}, no id. */
function topicalChatRows(): Record<string, unknown>[] {
  const source = 'did you know the moon is slowly moving away from earth ?\n i did n\'t ! how fast ?';
  const context = 'the moon moves about 3.8 centimetres farther from earth every year .';
  const replies = [
    ['Original Ground Truth', "about 3.8 cm a year , so we 're fine for a while !"],
    ['Argmax Decoding', 'i like the moon .'],
    ['Nucleus Decoding (p = 0.5)', 'i do n\'t know .'],
  ];
  return replies.map(([systemId, reply], i) => ({
    source,
    system_id: systemId,
    system_output: reply,
    context,
    scores: { understandability: 1, naturalness: 3 - i * 0.6666666667, coherence: 3 - i / 3, engagingness: 2.6666666667 - i / 2, groundedness: i === 0 ? 1 : 0, overall: 4.6666666667 - i },
  }));
}

describe('examples/topical-chat/dialogue-criteria.md', () => {
  it('rates the four aspects on 1-3 from history, fact and reply', async () => {
    const prompt = await loadPrompt(PROMPT);
    expect(prompt.settings).toMatchObject({ mode: 'score', criteria: ASPECTS, scale: { min: 1, max: 3 }, scoring: 'answer' });
    const text = prompt.template.render(topicalChatRows()[0] as never, { file: 'topical_chat.json', rowNumber: 1 }).map((m) => m.content).join('\n');
    expect(text).toContain('did you know the moon is slowly moving away');
    expect(text).toContain('Fact available to the speaker:\nthe moon moves about 3.8 centimetres');
    expect(text).toContain("Candidate next turn:\nabout 3.8 cm a year , so we 're fine for a while !");
  });

  it('grades the file as it stands, and stats compares scores.<aspect> with that criterion', async () => {
    const dataset = await writeJsonArray(await tempFile('topical_chat.json'), topicalChatRows());
    const { records, stats, out } = await runAgainstEmulator({}, { prompt: PROMPT, dataset });
    expect(stats.requests).toBe(3);
    expect(records.map((r) => r.id).sort()).toEqual(['1', '2', '3']);
    for (const record of records) {
      expect(record.error).toBeNull();
      expect(Object.keys(record.criteria ?? {})).toEqual(ASPECTS);
      expect(Object.values(record.criteria ?? {}).every((v) => v >= 1 && v <= 3)).toBe(true);
    }

    const report = await statsOf(out, 'scores.naturalness');
    expect(report.summary.agreement).toMatchObject({ label_field: 'scores.naturalness', judge_field: 'criteria.naturalness', n: 3 });
    // Grouped by dialogue history: one group here.
    const grouped = await statsOf(out, 'scores.groundedness', 'source');
    expect(grouped.summary.agreement?.groups).toMatchObject({ field: 'source', total: 1 });
  });
});
