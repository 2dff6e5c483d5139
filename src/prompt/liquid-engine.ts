import type { Liquid, LiquidOptions, TagToken } from 'liquidjs';

/**
 * Liquid's tags that read another template from disk. A prompt reads nothing but its row: with
 * them, `{% render '.env' %}` put the API key into the prompt, and `{% include output %}` let a
 * dataset value choose the file.
 */
const FILE_TAGS = ['include', 'render', 'layout'] as const;

/**
 * Engine options under which no template can reach a file: partials and layouts are looked up in
 * this empty in-memory map instead of the file system (liquidjs 10's `templates` option replaces
 * `fs`, `root`, `partials` and `layouts` for every lookup). Defence in depth behind the refusal of
 * FILE_TAGS at load.
 */
export const READ_NOTHING: Readonly<LiquidOptions> = { templates: {} };

/** A file tag found in a prompt, thrown from the parser so that Liquid attaches its position. */
export class RefusedTagError extends Error {
  override name = 'RefusedTagError';
  constructor(readonly tag: string) {
    super(`{% ${tag} %} is not allowed in a judge prompt: it would read a file from disk, and a prompt reads nothing but its row`);
  }
}

/** The Liquid engine prompts compile with: strict, and unable to read files. */
export async function createPromptEngine(outputEscape: (value: unknown) => string): Promise<Liquid> {
  // Loaded here, not at the top: `verdict prompts` and `--help` never pay for it.
  const { Liquid } = await import('liquidjs');
  const liquid = new Liquid({
    strictVariables: true,
    strictFilters: true,
    lenientIf: true,
    ownPropertyOnly: true,
    outputEscape,
    // Named, so that a prompt's date filters render the same on every machine.
    locale: 'en-US',
    ...READ_NOTHING,
  });
  for (const tag of FILE_TAGS) {
    liquid.registerTag(tag, {
      parse(token: TagToken) {
        throw new RefusedTagError(token.name);
      },
      render() {
        throw new RefusedTagError(tag);
      },
    });
  }
  return liquid;
}
