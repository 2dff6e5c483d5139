// The package as a user gets it: `npm pack` (which must build dist itself), the tarball installed
// into an empty project with no dev dependencies, and verdict run from there, outside the repository.
// One pack and one install for the whole file: they are the slow part.
import { spawn } from 'node:child_process';
import { cp, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { readRecords, TEST_KEY } from '../helpers/run.js';
import { BIN } from '../helpers/spawn.js';

const root = path.dirname(path.dirname(BIN));
const SLOW = 240_000;

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * npm, without the npm_* settings of an outer `npm test` (its prefix, its package), which a nested
 * npm would read as its own config; where the cache and config files are is kept.
 */
async function npm(args: string[], cwd: string): Promise<Result> {
  const keep = /^npm_config_(cache|userconfig|globalconfig)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) || keep.test(key)));
  const result = await run('npm', args, { cwd, env, timeoutMs: SLOW });
  if (result.code !== 0) throw new Error(`npm ${args.join(' ')} (in ${cwd}) exited ${result.code}:\n${result.stderr}`);
  return result;
}

const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

let packed: string[];
let packedScripts: Record<string, string>;
let project: string;
let stage: string | undefined;

beforeAll(async () => {
  stage = await tempDir();
  // Pack a copy with no dist/, so this shows that `npm pack` builds it (and it never rewrites the
  // dist/ that other test files are running). node_modules is the repo's: the build needs typescript.
  const source = path.join(stage, 'source');
  const copied = ['package.json', 'package-lock.json', 'tsconfig.json', 'README.md', 'src', ...pkg.files.filter((f) => f !== 'dist' && !f.startsWith('src/') && !f.startsWith('!'))];
  for (const entry of copied) await cp(path.join(root, entry), path.join(source, entry), { recursive: true });
  await symlink(path.join(root, 'node_modules'), path.join(source, 'node_modules'), 'dir');
  const [report] = JSON.parse((await npm(['pack', '--json', '--pack-destination', stage], source)).stdout) as { filename: string; files: { path: string }[] }[];
  packed = report!.files.map((file) => file.path);

  // The project installs from a lockfile of the repo's own locked versions, with --offline: the test
  // never reaches a registry, and the npm cache holds exactly those (npm install just fetched them).
  project = path.join(stage, 'project');
  await mkdir(project);
  await cp(path.join(stage, report!.filename), path.join(project, report!.filename));
  const tarball = `file:${report!.filename}`;
  const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  const packages: Record<string, unknown> = {
    '': { name: 'verdict-user', dependencies: { [pkg.name]: tarball } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: tarball, dependencies: pkg.dependencies, bin: { verdict: 'bin/verdict.js' } },
  };
  for (const [where, entry] of Object.entries(lock.packages)) if (where !== '' && !entry.dev) packages[where] = entry;
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'verdict-user', private: true, dependencies: { [pkg.name]: tarball } }));
  await writeFile(path.join(project, 'package-lock.json'), JSON.stringify({ name: 'verdict-user', lockfileVersion: 3, requires: true, packages }));
  await npm(['install', '--omit=dev', '--offline', '--no-audit', '--no-fund'], project);
  packedScripts = (JSON.parse(await readFile(path.join(project, 'node_modules', pkg.name, 'package.json'), 'utf8')) as typeof pkg).scripts;
}, SLOW);

// The copy, the tarball and the installed project are a few MB: not left behind.
afterAll(async () => {
  if (stage !== undefined) await rm(stage, { recursive: true, force: true });
});

describe('the packed tarball', () => {
  it('holds the built CLI, the prompts, the sample datasets and the report assets, and no sources or tests', () => {
    for (const file of ['bin/verdict.js', 'bin/node-floor.js', 'dist/cli.js', 'dist/commands/run-command.js', 'prompts/correctness.md', 'datasets/qa.jsonl', 'src/report/html/assets/report.css', 'src/report/html/assets/app.js', 'package.json']) {
      expect(packed).toContain(file);
    }
    expect(packed.filter((file) => /\.ts$|\.map$|^test\/|^node_modules\//.test(file))).toEqual([]);
  });

  it('needs no install script of ours: dist comes built, and installing runs nothing', () => {
    // npm runs preinstall/install/postinstall of a registry package; `prepare` only for a git or
    // folder install, which is why building dist in `prepare` (at pack time) is safe. Had the install
    // run `prepare`, it would have failed: its tsc is a dev dependency, not installed here.
    for (const script of ['preinstall', 'install', 'postinstall']) expect(packedScripts[script]).toBeUndefined();
    expect(existsSync(path.join(project, 'node_modules', pkg.name, 'dist', 'cli.js'))).toBe(true);
    for (const dev of Object.keys(pkg.devDependencies)) expect(existsSync(path.join(project, 'node_modules', dev))).toBe(false);
  });
});

describe('verdict installed from the tarball, run from outside the repository', () => {
  const emulator = useEmulator({ seed: 5 });
  const installed = () => path.join(project, 'node_modules', pkg.name);

  /** The installed `verdict` shim, on this Node, with a PATH that leads nowhere into the repository. */
  function verdict(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Result> {
    const outside = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir !== '' && !path.resolve(dir).startsWith(root + path.sep));
    const PATH = [path.dirname(process.execPath), ...outside].join(path.delimiter);
    return run(path.join(project, 'node_modules', '.bin', 'verdict'), args, { cwd: project, env: { PATH, ...env } });
  }

  it('prints its help and lists the built-in prompts', async () => {
    const help = await verdict(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: verdict/);
    const prompts = await verdict(['prompts']);
    expect(prompts.stderr).toBe('');
    expect(prompts.code).toBe(0);
    for (const name of ['correctness', 'faithfulness', 'pairwise']) expect(prompts.stdout).toContain(name);
  });

  it('prints its version', async () => {
    const { code, stdout } = await verdict(['--version']);
    expect(code).toBe(0);
    expect(stdout.trim()).toBe(pkg.version);
  });

  it('grades the bundled sample dataset with a built-in prompt, and makes an HTML report of it', async () => {
    const dataset = path.join(installed(), 'datasets', 'qa.jsonl');
    const rows = (await readFile(dataset, 'utf8')).split('\n').filter((line) => line.trim() !== '').length;
    const graded = await verdict(['run', '-d', dataset, '-p', 'correctness', '-o', 'results.jsonl', '--summary', 'summary.json'], {
      OPENAI_API_KEY: TEST_KEY,
      OPENAI_BASE_URL: emulator.url,
    });
    expect(graded.stderr).toContain('graded');
    expect(graded.code).toBe(0);
    expect(await readRecords(path.join(project, 'results.jsonl'))).toHaveLength(rows);
    const summary = await readFile(path.join(project, 'summary.json'), 'utf8');
    expect(JSON.parse(summary)).toMatchObject({ status: 'complete', rows, graded: rows });
    expect(emulator.stats().requests).toBe(rows);

    const report = await verdict(['report', 'results.jsonl', '-o', 'report.html']);
    expect(report.code).toBe(0);
    const html = await readFile(path.join(project, 'report.html'), 'utf8');
    // The page inlines the installed package's own stylesheet and script.
    for (const asset of ['report.css', 'app.js']) {
      expect(html).toContain((await readFile(path.join(installed(), 'src', 'report', 'html', 'assets', asset), 'utf8')).trim());
    }
    // Nothing it printed or wrote points into the repository.
    for (const text of [graded.stdout, graded.stderr, summary, report.stdout, report.stderr, html]) expect(text).not.toContain(root);
  });
});
