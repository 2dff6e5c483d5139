import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REFERENCE_PATH, renderFlagReference } from '../../scripts/flag-reference.js';
import { runBin } from '../helpers/spawn.js';

// docs/flags.md is generated from the built command definitions (npm run docs:flags); these tests
// keep the checked-in copy current and hold it to what the bin's --help really prints.
const reference = readFileSync(REFERENCE_PATH, 'utf8');

describe('docs/flags.md', () => {
  it('is what scripts/flag-reference.js generates from the current commands', async () => {
    expect(reference, 'docs/flags.md is out of date: run npm run docs:flags').toBe(await renderFlagReference());
  });

  const sections = sectionsOf(reference);

  it('has a section for every command, each of them with flags', () => {
    expect([...sections.keys()]).toEqual(expect.arrayContaining(['verdict', 'verdict run', 'verdict batch collect', 'verdict emulator']));
    for (const [name, rows] of sections) expect(rows.size, name).toBeGreaterThan(0);
  });

  for (const [name, rows] of sections) {
    it(`lists every flag of \`${name} --help\` with the same description and default`, async () => {
      const { code, stdout } = await runBin([...name.split(' ').slice(1), '--help']);
      expect(code).toBe(0);
      const flags = helpOptions(stdout);
      expect(flags.size).toBeGreaterThan(0);
      for (const [term, description] of flags) {
        const row = rows.get(term);
        expect(row, `${name}: ${term} is missing from docs/flags.md (run npm run docs:flags)`).toBeDefined();
        expect(row, `${name} ${term}`).toEqual(asRow(description));
      }
      expect(rows.size, `${name}: docs/flags.md lists flags --help does not`).toBe(flags.size);
    });
  }
});

interface Row {
  meaning: string;
  fallback: string;
}

/** The flag rows of each `## verdict …` section, by the flag's term, with markdown escapes undone. */
function sectionsOf(markdown: string): Map<string, Map<string, Row>> {
  const sections = new Map<string, Map<string, Row>>();
  let current: Map<string, Row> | undefined;
  for (const line of markdown.split('\n')) {
    const heading = /^## (verdict.*)$/.exec(line);
    if (heading) sections.set(heading[1]!, (current = new Map()));
    const row = /^\| `(-.*?)` \| (.*?) \| (.*?) \|$/.exec(line);
    if (row && current) current.set(unescape(row[1]!), { meaning: unescape(row[2]!), fallback: unescape(row[3]!) });
  }
  return sections;
}

function unescape(text: string): string {
  return text.replace(/\\\|/g, '|').replace(/&lt;/g, '<');
}

/**
 * A --help description split as the reference shows it: the `default: …` entry (commander's JSON
 * one, or one stated in words) goes to the default column, in code when it was commander's.
 */
function asRow(description: string): Row {
  const at = description.search(/(?: \(|, )default: /);
  if (at < 0) return { meaning: description, fallback: '' };
  const open = description.startsWith(' (', at);
  const rest = description.slice(at + 2 + 'default: '.length);
  const quoted = /^"(?:[^"\\]|\\.)*"/.exec(rest)?.[0];
  const value = quoted ?? rest.slice(0, rest.search(/\)$|, (?:preset|env): /));
  const after = rest.slice(value.length);
  const meaning = !open ? description.slice(0, at) + after : after === ')' ? description.slice(0, at) : `${description.slice(0, at)} (${after.slice(2)}`;
  return { meaning, fallback: quoted ? `\`${JSON.parse(quoted) as string}\`` : value };
}

/** The Options section of a --help text: each flag's term and its description, wrapped lines joined. */
function helpOptions(help: string): Map<string, string> {
  const options = new Map<string, string>();
  const lines = help.split('\n');
  let at = lines.indexOf('Options:') + 1;
  let last: string | undefined;
  for (; at > 0 && at < lines.length && lines[at] !== ''; at++) {
    const line = lines[at]!;
    const item = /^ {2}(-\S.*?)(?: {2,}(.*))?$/.exec(line);
    if (item) {
      last = item[1]!;
      options.set(last, item[2] ?? '');
    } else if (last !== undefined) {
      options.set(last, `${options.get(last)} ${line.trim()}`.trim());
    }
  }
  return options;
}
