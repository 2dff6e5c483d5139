import { loadPrompt, type JudgePrompt } from '../../prompt/load.js';
import type { ChatMessage } from '../../prompt/template.js';
import type { ResultRecord } from '../../results/record.js';
import { displayPath, withDisplayPath } from './display-path.js';

/** A record's judge input: the rendered messages, or the dataset row and why it is shown instead. */
export type JudgeInput = { messages: ChatMessage[] } | { fields: Record<string, unknown>; note?: string };

/** Renders the judge input of a results file's records again, from each record's row. */
export interface JudgeInputRenderer {
  /** How the judge input is shown, for the whole file, in words. */
  note: string;
  /** The prompt that graded the records, when it was found and is byte-for-byte the same. */
  prompt: JudgePrompt | undefined;
  render(record: ResultRecord, where: { file: string; rowNumber: number }): JudgeInput;
}

const short = (sha: string) => sha.slice(0, 12);

/** How the run bound the prompt to the rows (`--pair`, `--field`), as its manifest records them. */
export type PromptOverrides = NonNullable<Parameters<typeof loadPrompt>[1]>;

/**
 * Records keep the row, not the prompt they were graded with, so the report renders it again: with
 * the prompt file given (`--prompt`), else the built-in prompt or file the records name. A prompt
 * is used only when its sha256 is the one the records carry; otherwise rows show their fields and
 * the note says why, so a report never shows a judge input other than the one that was sent.
 */
export async function judgeInputRenderer(
  judge: ResultRecord['judge'] | undefined,
  promptArg?: string,
  overrides: PromptOverrides = {},
): Promise<JudgeInputRenderer> {
  if (judge === undefined) return fieldsOnly('No records, so no judge input to show.');
  const problems: string[] = [];
  const candidates = promptArg !== undefined && promptArg !== judge.prompt ? [promptArg, judge.prompt] : [judge.prompt];
  for (const candidate of candidates) {
    let prompt: JudgePrompt;
    try {
      prompt = await loadPrompt(candidate, overrides);
    } catch (error) {
      problems.push(
        candidate === promptArg
          ? `the prompt ${displayPath(candidate)} could not be loaded (${withDisplayPath((error as Error).message, candidate)})`
          : `the records name the prompt "${candidate}", which is neither a built-in prompt nor a file here`,
      );
      continue;
    }
    if (prompt.sha === judge.prompt_sha) return rendering(prompt);
    problems.push(`${displayPath(prompt.file)} (sha256 ${short(prompt.sha)}) is not the prompt that graded these rows (sha256 ${short(judge.prompt_sha)})`);
  }
  const hint = promptArg === undefined ? ' Give the prompt file with --prompt to see the judge input.' : '';
  return fieldsOnly(`The judge input is not shown rendered: ${problems.join('; ')}. Each row shows its dataset fields instead.${hint}`);
}

function fieldsOnly(note: string): JudgeInputRenderer {
  return { note, prompt: undefined, render: (record) => ({ fields: record.row }) };
}

function rendering(prompt: JudgePrompt): JudgeInputRenderer {
  const pairwise = prompt.settings.mode === 'pairwise' ? ' Pairwise rows show the AB order (the two answers as the dataset has them).' : '';
  return {
    note: `The judge input is rendered again from each row with the prompt "${prompt.name}" (${displayPath(prompt.file)}, sha256 ${short(prompt.sha)}), the one that graded them.${pairwise}`,
    prompt,
    render(record, where) {
      if (record.judge.prompt_sha !== prompt.sha) {
        return { fields: record.row, note: `This row was graded by another prompt (sha256 ${short(record.judge.prompt_sha)}); it shows its dataset fields.` };
      }
      try {
        // For a pairwise prompt, render() is the AB order; renderSwapped() would be BA.
        return { messages: prompt.template.render(record.row, where) };
      } catch (error) {
        return { fields: record.row, note: `The judge input cannot be rendered from this row: ${(error as Error).message}` };
      }
    },
  };
}
