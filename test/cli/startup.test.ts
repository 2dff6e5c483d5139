import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { emulatorCommand } from '../../src/emulator/command.js';
import { builtinPromptPath, listBuiltinPrompts } from '../../src/prompt/builtin.js';
import { parsePromptFile } from '../../src/prompt/parse-file.js';
import { captureIo, tempDir } from '../helpers/io.js';
import { runBin } from '../helpers/spawn.js';
import { useEmulator } from '../helpers/emulator.js';
import { TEST_KEY } from '../helpers/run.js';

const packageJson = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// A preload that notes every module the process resolves, through node's module hooks: the
// synchronous ones where node has them (22.15+), else the asynchronous ones (the Node floor, 22.12).
const TRACE = (file: string) => `
import { appendFileSync } from 'node:fs';
import * as module from 'node:module';
const note = (url) => appendFileSync(${JSON.stringify(file)}, url + '\\n');
if (module.registerHooks) {
  module.registerHooks({
    resolve(specifier, context, next) {
      const resolved = next(specifier, context);
      note(resolved.url);
      return resolved;
    },
  });
} else {
  const hooks = 'data:text/javascript,' + encodeURIComponent(
    'import { appendFileSync } from "node:fs";' +
    'export async function resolve(specifier, context, next) {' +
    '  const resolved = await next(specifier, context);' +
    '  appendFileSync(' + JSON.stringify(${JSON.stringify(file)}) + ', resolved.url + "\\\\n");' +
    '  return resolved;' +
    '}');
  module.register(hooks);
}
`;

/** Runs the bin and returns the modules it loaded, as package names and dist/ paths. */
async function modulesLoadedBy(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const dir = await tempDir();
  const trace = path.join(dir, 'modules.txt');
  await writeFile(path.join(dir, 'trace.mjs'), TRACE(trace));
  const { code } = await runBin(args, { cwd: process.cwd(), env: { ...env, NODE_OPTIONS: `--import=${path.join(dir, 'trace.mjs')}` } });
  expect(code).toBe(0);
  const urls = (await readFile(trace, 'utf8')).trim().split('\n');
  return [...new Set(urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1] ?? /\/(dist\/.*)$/.exec(url)?.[1] ?? url))];
}

const emulator = useEmulator({ seed: 3 });

const heavy = ['openai', 'zod', 'yaml', 'liquidjs', 'csv-parse', 'csv-stringify'];

describe('start-up', () => {
  it.each([['--help'], ['--version'], ['prompts'], ['run', '--help'], ['batch', 'submit', '--help']])(
    '`verdict %s` loads commander and the flag definitions, no command implementation or heavy library',
    async (...args) => {
      const loaded = await modulesLoadedBy(args);
      expect(loaded).toContain('commander');
      expect(loaded.filter((name) => heavy.includes(name))).toEqual([]);
      const implementations = loaded.filter((name) => /^dist\/commands\/.*-command\.js$/.test(name));
      expect(implementations).toEqual(args[0] === 'prompts' ? ['dist/commands/prompts-command.js'] : []);
    },
  );

  it('a dry run does not load the SDK, nor the readers of the other dataset formats', async () => {
    const dryRun = await modulesLoadedBy(['run', '--dry-run', '-d', 'datasets/qa.jsonl', '-p', 'correctness']);
    expect(dryRun).toContain('dist/commands/run-command.js');
    expect(dryRun).toContain('dist/dataset/jsonl.js');
    expect(dryRun.filter((name) => ['openai', 'dist/dataset/csv.js', 'dist/dataset/json.js'].includes(name))).toEqual([]);
    expect(dryRun).not.toContain('dist/judge/client.js');
  });

  it('a dry run does not load what only a sending run needs: locks, sinks, the summary and its statistics', async () => {
    const dryRun = await modulesLoadedBy(['run', '--dry-run', '-d', 'datasets/qa.jsonl', '-p', 'correctness']);
    const runOnly = ['csv-stringify', 'csv-parse', 'jstat', 'dist/run/grade-run.js', 'dist/results/lock.js', 'dist/results/open-sinks.js', 'dist/report/summary.js'];
    expect(dryRun.filter((name) => runOnly.includes(name))).toEqual([]);
  });

  it('a fresh run writing JSONL loads neither CSV library, nor the reader and compactor of earlier results', async () => {
    const out = path.join(await tempDir(), 'out.jsonl');
    const run = await modulesLoadedBy(['run', '-d', 'datasets/qa.jsonl', '-p', 'correctness', '-o', out, '--quiet'], { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url });
    expect(run).toContain('dist/run/grade-run.js');
    const unused = ['csv-stringify', 'csv-parse', 'dist/results/csv-sink.js', 'dist/results/read-results.js', 'dist/results/resume.js'];
    expect(run.filter((name) => unused.includes(name))).toEqual([]);
  });
});

describe('verdict -V, --version', () => {
  it.each([['--version'], ['-V']])('%s prints the package version', async (flag) => {
    const { code, stdout } = await runBin([flag]);
    expect(code).toBe(0);
    expect(stdout).toBe(`${packageJson.version}\n`);
  });
});

describe('verdict --help', () => {
  it('lists the emulator as its own command would be listed, without loading it', async () => {
    const { io, stdout } = captureIo();
    expect(await main(['--help'], io)).toBe(0);
    const real = emulatorCommand();
    const help = new Command('verdict').createHelp();
    const listed = stdout().replace(/\s+/g, ' ');
    expect(listed).toContain(`${help.subcommandTerm(real)} ${real.description()}`);
  });
});

describe('verdict prompts', () => {
  it('lists each built-in with the mode and description that loading it reads', async () => {
    const { io, stdout } = captureIo();
    expect(await main(['prompts'], io)).toBe(0);
    const names = await listBuiltinPrompts();
    const lines = stdout().trimEnd().split('\n');
    expect(lines).toHaveLength(names.length);
    for (const [index, name] of names.entries()) {
      const file = builtinPromptPath(name);
      const { frontMatter } = parsePromptFile(file, await readFile(file, 'utf8'));
      expect(lines[index]!.split(/\s{2,}/)).toEqual([name, frontMatter.mode, frontMatter.description ?? '']);
    }
  });
});
