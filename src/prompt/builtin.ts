import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder of built-in judge prompts, shipped beside `dist/` in the package. */
export const BUILTIN_PROMPTS_DIR = fileURLToPath(new URL('../../prompts/', import.meta.url));

/** Where the built-in prompt of this name lives (it may not exist). */
export function builtinPromptPath(name: string): string {
  return path.join(BUILTIN_PROMPTS_DIR, `${name}.md`);
}

/** Names of the built-in prompts, sorted. */
export async function listBuiltinPrompts(): Promise<string[]> {
  const entries = await readdir(BUILTIN_PROMPTS_DIR);
  return entries.filter((e) => e.endsWith('.md')).map((e) => e.slice(0, -3)).sort();
}
