import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSuites } from '../../src/suites/load-suites.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { TEST_KEY } from '../helpers/run.js';
import { runBin } from '../helpers/spawn.js';

// The suites files the docs show are real: they load, and running.md's runs as it says it does.
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const emulator = useEmulator();

/** The first ```yaml block of a doc's section that is a suites file. */
async function suitesBlock(doc: string, heading: string): Promise<string> {
  const text = await readFile(path.join(ROOT, 'docs', doc), 'utf8');
  const section = text.slice(text.indexOf(`\n## ${heading}\n`));
  const block = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match) => match[1]!).find((yaml) => /^suites:/m.test(yaml));
  if (block === undefined) throw new Error(`no suites file under "${heading}" in docs/${doc}`);
  return block;
}

describe('the suites files in the docs', () => {
  it('running.md: the example runs its three suites and ends as the section shows', async () => {
    const dir = await tempDir();
    await cp(path.join(ROOT, 'datasets'), path.join(dir, 'datasets'), { recursive: true });
    await writeFile(path.join(dir, 'verdict.yaml'), await suitesBlock('running.md', 'Suites: verdict.yaml'));
    const run = await runBin(['run', '--no-progress'], { cwd: dir, env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
    const shown = /\n {2}(suites: .+)\n/.exec(await readFile(path.join(ROOT, 'docs', 'running.md'), 'utf8'))![1]!;
    expect(run.stderr).toContain(`${shown}\n`);
    expect(run.code).toBe(1);
  });

  it('panels.md: the panel example is a valid suites file, its judges in both forms', async () => {
    const file = path.join(await tempDir(), 'verdict.yaml');
    await writeFile(file, await suitesBlock('panels.md', 'Panels of judges'));
    const [qa] = (await loadSuites(file)).suites;
    expect(qa!.suite.judges).toHaveLength(3);
    expect(qa!.suite.aggregate).toBe('median');
  });

  it('ci.md: the example is a valid suites file', async () => {
    const file = path.join(await tempDir(), 'verdict.yaml');
    await writeFile(file, await suitesBlock('ci.md', 'verdict.yaml'));
    expect((await loadSuites(file)).suites.map((entry) => entry.name)).toEqual(['qa', 'support']);
  });
});
