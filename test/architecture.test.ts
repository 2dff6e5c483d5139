import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** A top-level part of src/: its folder (`report`), or a file at its root (`cli.ts`). */
function partOf(file: string): string {
  const [first, ...rest] = path.relative(SRC, file).split(path.sep);
  return rest.length === 0 ? first! : `${first}/`;
}

// `… from '…'` (imports and re-exports, type-only ones too: a type is a dependency), `import('…')`, `import '…'`.
const SPECIFIER = /\bfrom\s*['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

/** Every relative import of src/, static, dynamic or type-only, as the file and the file it names. */
async function importsOf(): Promise<{ file: string; target: string }[]> {
  const entries = await readdir(SRC, { recursive: true, withFileTypes: true });
  const found: { file: string; target: string }[] = [];
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const match of (await readFile(file, 'utf8')).matchAll(SPECIFIER)) {
      const fileName = match[1] ?? match[2] ?? match[3]!;
      if (!fileName.startsWith('.')) continue;
      found.push({ file, target: path.resolve(path.dirname(file), fileName.replace(/\.js$/, '.ts')) });
    }
  }
  return found;
}

/** The edges between parts, each with one import that makes it, for the message. */
function partGraph(imports: { file: string; target: string }[]): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const { file, target } of imports) {
    const from = partOf(file);
    const to = partOf(target);
    if (from === to) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    const edges = graph.get(from)!;
    if (!edges.has(to)) edges.set(to, `src/${path.relative(SRC, file)} imports src/${path.relative(SRC, target).replace(/\.ts$/, '.js')}`);
  }
  return graph;
}

/** One cycle of the graph as its parts in order (first repeated last), or undefined when it has none. */
function findCycle(graph: Map<string, Map<string, string>>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const trail: string[] = [];
  const visit = (part: string): string[] | undefined => {
    state.set(part, 'open');
    trail.push(part);
    for (const next of [...(graph.get(part)?.keys() ?? [])].sort()) {
      if (state.get(next) === 'open') return [...trail.slice(trail.indexOf(next)), next];
      if (state.get(next) === undefined) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    trail.pop();
    state.set(part, 'done');
    return undefined;
  };
  for (const part of [...graph.keys()].sort()) {
    if (state.get(part) !== undefined) continue;
    const cycle = visit(part);
    if (cycle) return cycle;
  }
  return undefined;
}

/** `a/ → b/ → a/`, then the import behind each step. */
function describeCycle(graph: Map<string, Map<string, string>>, cycle: string[]): string {
  const steps = cycle.slice(1).map((to, i) => `  ${graph.get(cycle[i]!)!.get(to)!}`);
  return `import cycle between parts of src/: ${cycle.join(' → ')}\n${steps.join('\n')}`;
}

describe('the folders of src/', () => {
  it('import one another without a cycle (cli.ts → commands/ → cli.ts would be one)', async () => {
    const graph = partGraph(await importsOf());
    expect(graph.size).toBeGreaterThan(5);
    const cycle = findCycle(graph);
    expect(cycle && describeCycle(graph, cycle)).toBeUndefined();
  });

  it('the check finds and names a cycle', () => {
    const graph = partGraph([
      { file: path.join(SRC, 'cli.ts'), target: path.join(SRC, 'commands/run-definition.ts') },
      { file: path.join(SRC, 'commands/run-command.ts'), target: path.join(SRC, 'cli.ts') },
      { file: path.join(SRC, 'commands/run-command.ts'), target: path.join(SRC, 'errors.ts') },
    ]);
    const cycle = findCycle(graph);
    expect(cycle).toEqual(['cli.ts', 'commands/', 'cli.ts']);
    expect(describeCycle(graph, cycle!)).toBe(
      'import cycle between parts of src/: cli.ts → commands/ → cli.ts\n' +
        '  src/cli.ts imports src/commands/run-definition.js\n' +
        '  src/commands/run-command.ts imports src/cli.js',
    );
  });
});
