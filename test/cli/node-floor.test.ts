// The Node floor: package.json's engines.node is the one number, the bin enforces it before loading
// anything else, and it is no lower than what our production dependencies declare.
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { belowFloorMessage, nodeFloor } from '../../bin/node-floor.js';
import { useEmulator } from '../helpers/emulator.js';
import { tempDir } from '../helpers/io.js';
import { qaDataset, TEST_KEY } from '../helpers/run.js';
import { BIN } from '../helpers/spawn.js';

const root = path.dirname(path.dirname(BIN));
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { engines: { node: string } };
const engines = pkg.engines.node;
const [major, minor, patch] = nodeFloor(engines);
const floor = `${major}.${minor}.${patch}`;

describe('the Node floor (engines.node)', () => {
  it('turns away a Node below the floor with one line that says what it needs, what it found and how to get one', () => {
    for (const found of [`v${major - 1}.99.99`, `v${major}.${minor - 1}.99`, `${major}.${minor}.${patch - 1}`].filter((v) => !v.includes('-'))) {
      const message = belowFloorMessage(found, engines);
      expect(message).toBeDefined();
      expect(message).not.toContain('\n');
      expect(message).toContain(`needs Node.js ${floor} or newer`);
      expect(message).toContain(`this is Node.js ${found.replace(/^v/, '')}`);
      expect(message).toContain(`npx -p node@${major} verdict`);
    }
  });

  it('lets the floor itself and anything newer through', () => {
    for (const found of [`v${floor}`, `v${major}.${minor}.${patch + 1}`, `v${major}.${minor + 1}.0`, `v${major + 1}.0.0`, process.version]) {
      expect(belowFloorMessage(found, engines)).toBeUndefined();
    }
  });

  it('reads engines.node only in the ">=X.Y.Z" form, and says so otherwise', () => {
    expect(nodeFloor('>=22')).toEqual([22, 0, 0]);
    expect(nodeFloor('>= 22.12')).toEqual([22, 12, 0]);
    expect(() => nodeFloor('^22.12.0 || >=24')).toThrow(/engines\.node must read ">=X\.Y\.Z"/);
  });

  it('is no lower than what any production dependency declares', () => {
    // The lockfile records each installed package's engines; dev-only ones (vitest, typescript) do not ship.
    const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean; version?: string; engines?: { node?: string } }>;
    };
    const ours = nodeFloor(engines);
    const tooHigh: string[] = [];
    for (const [where, entry] of Object.entries(lock.packages)) {
      const theirs = entry.engines?.node;
      if (where === '' || entry.dev || theirs === undefined) continue;
      // A form other than ">=X.Y.Z" throws here, naming the range, so a person decides the floor.
      const needed = nodeFloor(theirs);
      const higher = needed.findIndex((part, i) => part !== ours[i]);
      if (higher !== -1 && needed[higher]! > ours[higher]!) tooHigh.push(`${where}@${entry.version} needs node ${theirs}`);
    }
    expect(tooHigh).toEqual([]);
  });
});

/** A Node below the floor on this machine (the system's, on PATH or in /usr/bin), if there is one. */
function findOldNode(): { node: string; version: string } | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/local/bin', '/bin'];
  for (const dir of new Set(dirs.filter((d) => d !== ''))) {
    const node = path.join(dir, 'node');
    try {
      accessSync(node, constants.X_OK);
      const version = execFileSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
      if (belowFloorMessage(version, engines)) return { node, version };
    } catch {
      // Not there, or not a working node: try the next.
    }
  }
  return undefined;
}

const oldNode = findOldNode();
if (!oldNode) {
  console.warn(
    `test/cli/node-floor.test.ts: SKIPPED the run on an old Node: no Node below ${floor} found on PATH or in /usr/bin, /usr/local/bin. ` +
      'The unit tests above still check the message.',
  );
}

describe.skipIf(!oldNode)(`the bin on a Node below the floor (${oldNode?.version ?? 'none found'})`, () => {
  const emulator = useEmulator({ seed: 3 });

  it('exits 2 with the one line, no stack trace, and sends nothing', async () => {
    const dir = await tempDir();
    const dataset = await qaDataset(3, dir);
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(
        oldNode!.node,
        [BIN, 'run', '-d', dataset, '-p', 'correctness', '-o', path.join(dir, 'out.jsonl')],
        { cwd: dir, env: { PATH: process.env.PATH, OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url }, timeout: 15_000 },
        (error, stdout, stderr) => resolve({ code: child.exitCode ?? (error ? -1 : 0), stdout, stderr }),
      );
    });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`verdict: needs Node.js ${floor} or newer, but this is Node.js ${oldNode!.version.replace(/^v/, '')}; install a newer Node, or run verdict with one from npm: npx -p node@${major} verdict …\n`);
    expect(emulator.stats().requests).toBe(0);
  });
});
