import type { Command } from 'commander';
import type { Io } from '../io.js';

/** `verdict prompts`'s flags; its action (prompts-command.ts) is loaded only when it runs. */
export function definePromptsCommand(program: Command, io: Io): void {
  program
    .command('prompts')
    .description('list the built-in judge prompts, or print one')
    .argument('[name]', 'a built-in prompt to print')
    .action(async (name: string | undefined) => (await import('./prompts-command.js')).promptsAction(name, io));
}
