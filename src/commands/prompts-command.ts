import { readFile } from 'node:fs/promises';
import type { Io } from '../io.js';
import { builtinPromptPath, listBuiltinPrompts } from '../prompt/builtin.js';
import { UsageError } from '../errors.js';

/** `verdict prompts [name]` (its flags: prompts-definition.ts): list the built-in judge prompts, or print one. */
export async function promptsAction(name: string | undefined, io: Io): Promise<void> {
  const names = await listBuiltinPrompts();
  if (name !== undefined) {
    if (!names.includes(name)) throw new UsageError(`no built-in prompt "${name}"`, `built-in prompts: ${names.join(', ')}`);
    io.stdout.write(await readFile(builtinPromptPath(name), 'utf8'));
    return;
  }
  const width = Math.max(...names.map((n) => n.length));
  for (const each of names) {
    const { mode, description } = listingOf(await readFile(builtinPromptPath(each), 'utf8'));
    io.stdout.write(`${each.padEnd(width)}  ${mode.padEnd(9)}  ${description ?? ''}\n`);
  }
}

/**
 * A built-in prompt's mode and description, read from the `mode:` and `description:` lines of its
 * front matter rather than by loading the prompt: YAML and the schema check would triple this
 * command's start-up. The built-ins keep these two keys plain one-line scalars, and
 * test/cli/startup.test.ts checks that every listing matches what loading the prompt reads.
 */
function listingOf(text: string): { mode: string; description?: string } {
  const frontMatter = /^---\r?\n([\s\S]*?)\r?\n---\r?$/m.exec(text)?.[1] ?? '';
  const value = (key: string) => new RegExp(`^${key}:[ \\t]*(.*?)[ \\t]*\r?$`, 'm').exec(frontMatter)?.[1];
  const description = value('description');
  // The front matter's default mode (src/prompt/front-matter.ts).
  return { mode: value('mode') ?? 'score', ...(description === undefined ? {} : { description }) };
}
