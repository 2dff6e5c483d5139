import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { listBuiltinPrompts } from '../../src/prompt/builtin.js';
import { loadPrompt } from '../../src/prompt/load.js';
import { tempDir } from '../helpers/io.js';
import { runAgainstEmulator } from '../helpers/run.js';

/** A row each built-in prompt can render: the fields its variables read, in the names it uses. */
const ROWS: Record<string, Record<string, unknown>> = {
  correctness: { input: 'What is the capital of Australia?', reference: 'Canberra.', output: 'Sydney.' },
  helpfulness: { input: 'How do I undo my last git commit?', output: 'Run git reset --soft HEAD~1.' },
  'pass-fail': { input: 'Reply in French: hello', criteria: 'The reply is in French.', output: 'Bonjour' },
  'reference-guided': { input: 'What is 17 * 23?', reference: '391', output: '17 * 23 = 391' },
  pairwise: { input: 'Name a prime number above 10.', output_a: '11', output_b: '12' },
  faithfulness: { context: 'The plant opened in 1998 and employs 400 people.', input: 'When did the plant open?', output: 'It opened in 1998.' },
  'summary-criteria': { document: 'The council voted on Tuesday to close the bridge for repairs until May.', summary: 'the bridge will close for repairs until may .' },
};

const EXPECTED_MODES: Record<string, string> = {
  correctness: 'score',
  helpfulness: 'score',
  'pass-fail': 'pass-fail',
  'reference-guided': 'score',
  pairwise: 'pairwise',
  faithfulness: 'score',
  'summary-criteria': 'score',
};

async function dataset(rows: Record<string, unknown>[]): Promise<string> {
  const file = path.join(await tempDir(), 'rows.jsonl');
  await writeFile(file, rows.map((row, i) => JSON.stringify({ id: `r${i + 1}`, ...row })).join('\n') + '\n');
  return file;
}

describe('the built-in prompt library', () => {
  it('has a prompt for each kind of judging, and nothing untested', async () => {
    expect(await listBuiltinPrompts()).toEqual(Object.keys(ROWS).sort());
  });

  it.each(Object.keys(ROWS))('%s loads, renders its row and grades it against the emulator', async (name) => {
    const prompt = await loadPrompt(name);
    expect(prompt.settings.mode).toBe(EXPECTED_MODES[name]);
    expect(prompt.settings.description).toBeTruthy();
    const messages = prompt.template.render(ROWS[name] as never, { file: 'rows.jsonl', rowNumber: 1 });
    // Every value of the row reaches the judge.
    const text = messages.map((m) => m.content).join('\n');
    for (const value of Object.values(ROWS[name]!)) expect(text).toContain(String(value));

    const { records, result } = await runAgainstEmulator({}, { prompt: name, dataset: await dataset([ROWS[name]!, ROWS[name]!, ROWS[name]!]) });
    expect(result.kind === 'run' && result.exitCode).not.toBe(2);
    expect(records).toHaveLength(3);
    expect(records.every((r) => r.error === null)).toBe(true);
  });

  it('grades the four summary criteria in one request', async () => {
    const { records, stats } = await runAgainstEmulator({}, { prompt: 'summary-criteria', dataset: await dataset([ROWS['summary-criteria']!]) });
    expect(stats.requests).toBe(1);
    expect(Object.keys(records[0]!.criteria ?? {})).toEqual(['coherence', 'consistency', 'fluency', 'relevance']);
  });
});

describe('one prompt, datasets that name their fields otherwise', () => {
  it('--pair points the pairwise prompt at LLMBar-style output_1 / output_2', async () => {
    const rows = [{ input: 'Pick a colour.', output_1: 'Blue.', output_2: 'I like turtles.', label: 1 }];
    const { records, stats } = await runAgainstEmulator({}, { prompt: 'pairwise', dataset: await dataset(rows), pair: 'output_1,output_2' });
    expect(stats.requests).toBe(2);
    expect(stats.log.some((e) => /Answer A:\nBlue\.\n\nAnswer B:\nI like turtles\./.test(e.prompt))).toBe(true);
    expect(stats.log.some((e) => /Answer A:\nI like turtles\.\n\nAnswer B:\nBlue\./.test(e.prompt))).toBe(true);
    expect(records[0]!.error).toBeNull();
  });

  it('--field binds a variable to another field, nested paths included', async () => {
    const rows = [{ article: 'Rain is expected all week.', meta: { short: 'rain all week .' } }];
    const { records, stats } = await runAgainstEmulator(
      {},
      { prompt: 'summary-criteria', dataset: await dataset(rows), fields: ['document=article', 'summary=meta.short'] },
    );
    expect(records[0]!.error).toBeNull();
    expect(stats.log[0]!.prompt).toMatch(/Source document:\nRain is expected all week\.\n\nSummary:\nrain all week \./);
  });

  it('names the row and the field when an aliased field is missing, before sending anything', async () => {
    const rows = [{ article: 'A.', summary: 'a' }, { summary: 'b' }];
    const error = await runAgainstEmulator({}, { prompt: 'summary-criteria', dataset: await dataset(rows), fields: ['document=article'] }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/no field "article", which --field document=article reads/);
    expect(error).toMatchObject({ location: { row: 2, field: 'article' } });
  });

  it('refuses --pair for a prompt that is not pairwise', async () => {
    const error = await runAgainstEmulator({}, { prompt: 'correctness', rows: 1, pair: 'x,y' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/--pair names the two answers of a pairwise judge/);
  });
});
