import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { Io } from '../cli.js';
import { builtinPromptPath, listBuiltinPrompts } from '../prompt/builtin.js';
import { parsePromptFile } from '../prompt/parse-file.js';
import { UsageError } from '../errors.js';

/** `verdict prompts [name]`: list the built-in judge prompts, or print one. */
export function registerPromptsCommand(program: Command, io: Io): void {
  program
    .command('prompts')
    .description('list the built-in judge prompts, or print one')
    .argument('[name]', 'a built-in prompt to print')
    .action(async (name: string | undefined) => {
      const names = await listBuiltinPrompts();
      if (name !== undefined) {
        if (!names.includes(name)) throw new UsageError(`no built-in prompt "${name}"`, `built-in prompts: ${names.join(', ')}`);
        io.stdout.write(await readFile(builtinPromptPath(name), 'utf8'));
        return;
      }
      const width = Math.max(...names.map((n) => n.length));
      for (const each of names) {
        const file = builtinPromptPath(each);
        const { frontMatter } = parsePromptFile(file, await readFile(file, 'utf8'));
        io.stdout.write(`${each.padEnd(width)}  ${frontMatter.mode.padEnd(9)}  ${frontMatter.description ?? ''}\n`);
      }
    });
}
