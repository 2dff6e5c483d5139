import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { builtinPromptPath } from './builtin.js';
import { DEFAULT_PAIR, DEFAULT_SCALE, SUPPORTED_MODES, type FrontMatter } from './front-matter.js';
import { aliasTemplate, type FieldAliases } from './field-aliases.js';
import { pairTemplate } from './pair-template.js';
import { parsePromptFile } from './parse-file.js';
import { compileTemplate, type PromptTemplate } from './template.js';

/** A judge prompt ready to render: its settings, templates and identity. */
export interface JudgePrompt {
  /** The front matter's name, else the file name without extension. */
  name: string;
  /** The path it was read from. */
  file: string;
  /** sha256 of the file's bytes: which exact judge graded a record. */
  sha: string;
  settings: FrontMatter & { scale: { min: number; max: number }; pair: { a: string; b: string }; swap: boolean };
  template: PromptTemplate;
}

/**
 * Loads a judge prompt from a file path, or by name from the built-in prompts. Every problem is an
 * InputError naming the file and, where it can, the line and key. `overrides.pair` (`--pair`)
 * names the two answer fields of a pairwise prompt instead of its front matter, so one prompt
 * serves datasets that call them differently; `overrides.fields` (`--field var=path`) does the same
 * for any variable.
 */
export async function loadPrompt(
  fileOrName: string,
  overrides: { pair?: { a: string; b: string }; fields?: FieldAliases } = {},
): Promise<JudgePrompt> {
  const file = await resolvePromptFile(fileOrName);
  const bytes = await readFile(file);
  const { frontMatter, sections } = parsePromptFile(file, bytes.toString('utf8'));
  if (!SUPPORTED_MODES.includes(frontMatter.mode)) {
    throw new InputError(
      { file, field: 'mode' },
      `mode "${frontMatter.mode}" is not supported by this version of verdict (supported: ${SUPPORTED_MODES.join(', ')})`,
    );
  }
  if (overrides.pair && frontMatter.mode !== 'pairwise') {
    throw new UsageError(`--pair names the two answers of a pairwise judge, and ${path.basename(file)} is mode "${frontMatter.mode}"`);
  }
  const settings = {
    ...frontMatter,
    scale: frontMatter.scale ?? { ...DEFAULT_SCALE },
    pair: overrides.pair ?? frontMatter.pair ?? { ...DEFAULT_PAIR },
    swap: frontMatter.swap ?? true,
  };
  const compiled = await compileTemplate(file, sections);
  const shown = settings.mode === 'pairwise' ? pairTemplate(file, compiled, settings.pair) : compiled;
  return {
    name: frontMatter.name ?? path.basename(file).replace(/(\.prompt)?\.[^.]+$/, ''),
    file,
    sha: createHash('sha256').update(bytes).digest('hex'),
    settings,
    // The outermost wrapper binds first: aliases, so a pair field may itself be one (--field output_1=answers.0).
    template: aliasTemplate(shown, overrides.fields ?? {}),
  };
}

async function resolvePromptFile(fileOrName: string): Promise<string> {
  if (await isFile(fileOrName)) return fileOrName;
  const looksLikePath = fileOrName.includes('/') || fileOrName.includes('\\') || path.extname(fileOrName) !== '';
  if (!looksLikePath) {
    const builtin = builtinPromptPath(fileOrName);
    if (await isFile(builtin)) return builtin;
  }
  throw new InputError(
    { file: fileOrName },
    looksLikePath ? 'prompt file not found' : 'no such prompt file, and no built-in prompt of that name',
    'run "verdict prompts" to list the built-in prompts',
  );
}

async function isFile(candidate: string): Promise<boolean> {
  try {
    return (await stat(candidate)).isFile();
  } catch {
    return false;
  }
}
