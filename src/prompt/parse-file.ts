import { parseDocument, visit, type Alias, type Document } from 'yaml';
import { InputError } from '../errors.js';
import { FrontMatter } from './front-matter.js';
import { yamlData } from '../text/yaml-data.js';

/** A chat role a prompt section can hold. */
export type Role = 'system' | 'user' | 'assistant';

/** One role section of a prompt file, its template text not yet parsed. */
export interface RoleSection {
  role: Role;
  template: string;
  /** 1-based line of the first template line, for error messages. */
  line: number;
}

/** A prompt file split into validated front matter and role sections. */
export interface ParsedPromptFile {
  frontMatter: FrontMatter;
  sections: RoleSection[];
}

const ROLE_LINE = /^(system|user|assistant):[ \t]*$/;

/**
 * Splits prompt text (YAML front matter between `---` lines, then `system:` / `user:` /
 * `assistant:` sections) and validates the front matter. Errors name the file and line.
 */
export function parsePromptFile(file: string, text: string): ParsedPromptFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let bodyStart = 0;
  let yamlText = '';
  if (lines[0]?.trim() === '---') {
    const end = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
    if (end < 0) throw new InputError({ file, line: 1 }, 'front matter starts with "---" but is never closed');
    yamlText = lines.slice(1, end).join('\n');
    bodyStart = end + 1;
  }
  return { frontMatter: parseFrontMatter(file, yamlText), sections: splitSections(file, lines, bodyStart) };
}

function parseFrontMatter(file: string, yamlText: string): FrontMatter {
  const doc = parseDocument(yamlText, { prettyErrors: false });
  const yamlError = doc.errors[0];
  if (yamlError) {
    // +1 for the opening "---" line.
    const line = yamlError.linePos?.[0] ? yamlError.linePos[0].line + 1 : undefined;
    throw new InputError({ file, line }, `front matter is not valid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  const expanded = yamlData(doc);
  if (!expanded.ok) throw new InputError({ file, line: unresolvedAliasLine(doc, yamlText) }, `front matter is not valid YAML: ${expanded.message}`);
  const result = FrontMatter.safeParse(expanded.data ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const field = issue.path.join('.') || undefined;
    const message = issue.code === 'unrecognized_keys' ? `unknown front matter key ${issue.keys.map((k) => `"${k}"`).join(', ')}` : `front matter: ${issue.message}`;
    throw new InputError({ file, field: issue.code === 'unrecognized_keys' ? issue.keys[0] : field }, message);
  }
  return result.data;
}

/** The file line of the first alias whose anchor is not set before it, if there is one. */
function unresolvedAliasLine(doc: Document, yamlText: string): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node: Alias) {
      if (node.resolve(doc) !== undefined || !node.range) return undefined;
      offset = node.range[0];
      return visit.BREAK;
    },
  });
  // +1 for the opening "---" line.
  return offset === undefined ? undefined : yamlText.slice(0, offset).split('\n').length + 1;
}

function splitSections(file: string, lines: string[], bodyStart: number): RoleSection[] {
  const sections: RoleSection[] = [];
  let current: { role: Role; line: number; body: string[] } | undefined;
  const flush = () => {
    if (!current) return;
    const template = current.body.join('\n').trim();
    if (template === '') throw new InputError({ file, line: current.line - 1 }, `the ${current.role} section is empty`);
    sections.push({ role: current.role, template, line: current.line });
  };
  for (let i = bodyStart; i < lines.length; i++) {
    const line = lines[i]!;
    const role = ROLE_LINE.exec(line)?.[1] as Role | undefined;
    if (role) {
      flush();
      current = { role, line: i + 2, body: [] };
    } else if (current) {
      current.body.push(line);
    } else if (line.trim() !== '') {
      throw new InputError({ file, line: i + 1 }, 'expected a role line ("system:", "user:" or "assistant:") before any prompt text');
    }
  }
  flush();
  if (!sections.some((s) => s.role === 'user')) {
    throw new InputError({ file }, 'the prompt has no "user:" section');
  }
  return sections;
}
