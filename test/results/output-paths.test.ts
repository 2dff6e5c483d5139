import { chmod, link, mkdir, symlink, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { checkOutputs, identityOf, sameFile, type CommandOutput } from '../../src/results/output-paths.js';
import { useTempDir } from './helpers.js';

const temp = useTempDir();
const results = (path: string, existing: CommandOutput['existing'] = 'refuse'): CommandOutput => ({ path, role: 'results file', existing });
const isRoot = process.getuid?.() === 0;

describe('identityOf / sameFile', () => {
  it('sees a symlink, a symlinked directory and a hard link as the file they lead to', async () => {
    await writeFile(temp.path('data.jsonl'), '{}\n');
    await symlink(temp.path('data.jsonl'), temp.path('alias.jsonl'));
    await link(temp.path('data.jsonl'), temp.path('hard.jsonl'));
    await symlink(temp.dir(), temp.path('here'));
    const data = await identityOf(temp.path('data.jsonl'));
    expect(sameFile(data, await identityOf(temp.path('alias.jsonl')))).toBe(true);
    expect(sameFile(data, await identityOf(temp.path('hard.jsonl')))).toBe(true);
    expect(sameFile(data, await identityOf(temp.path('here', 'data.jsonl')))).toBe(true);
    expect(sameFile(data, await identityOf(temp.path('other.jsonl')))).toBe(false);
  });

  it('resolves a file not created yet through its nearest existing directory', async () => {
    await symlink(temp.dir(), temp.path('here'));
    const viaLink = await identityOf(temp.path('here', 'new', 'r.jsonl'));
    const direct = await identityOf(temp.path('new', 'r.jsonl'));
    expect(viaLink.stats).toBeUndefined();
    expect(sameFile(viaLink, direct)).toBe(true);
  });
});

describe('checkOutputs', () => {
  it('refuses an output that is an input, naming both, by real path', async () => {
    await writeFile(temp.path('q.jsonl'), '{}\n');
    await symlink(temp.path('q.jsonl'), temp.path('r.jsonl'));
    const inputs = [{ path: temp.path('q.jsonl'), role: 'the dataset' }];
    await expect(checkOutputs(inputs, [results(temp.path('q.jsonl'), 'continue')])).rejects.toThrow(/q\.jsonl is the dataset, so it cannot also be the results file/);
    await expect(checkOutputs(inputs, [results(temp.path('r.jsonl'), 'overwrite')])).rejects.toThrow(/r\.jsonl \(the results file\) and .*q\.jsonl \(the dataset\) are the same file/);
  });

  it('refuses two outputs that are one file, existing or not', async () => {
    await symlink(temp.path('r.jsonl'), temp.path('alias.jsonl'));
    await expect(checkOutputs([], [results(temp.path('r.jsonl')), results(temp.path('alias.jsonl'))])).rejects.toThrow(/are the same file/);
    await expect(
      checkOutputs([], [results(temp.path('r.jsonl')), { path: temp.path('r.jsonl'), role: 'summary', existing: 'refuse' }]),
    ).rejects.toThrow(/given twice as an output \(results file, summary\)/);
  });

  it('applies each rule to an existing file: refuse, overwrite, continue, replace a verdict summary only', async () => {
    await writeFile(temp.path('r.jsonl'), '{}\n');
    await writeFile(temp.path('s.json'), JSON.stringify({ status: 'complete', rows: 3 }));
    await writeFile(temp.path('notes.json'), '{"mine": true}');
    await expect(checkOutputs([], [results(temp.path('r.jsonl'))])).rejects.toThrow(/r\.jsonl already exists; pass --force/);
    await checkOutputs([], [results(temp.path('r.jsonl'), 'overwrite')]);
    await checkOutputs([], [results(temp.path('r.jsonl'), 'continue')]);
    await checkOutputs([], [{ path: temp.path('s.json'), role: 'summary', existing: 'replace-summary' }]);
    await expect(checkOutputs([], [{ path: temp.path('notes.json'), role: 'summary', existing: 'replace-summary' }])).rejects.toThrow(
      /notes\.json already exists and is not a verdict summary/,
    );
  });

  it('refuses a directory, and a path under a regular file', async () => {
    await mkdir(temp.path('d.jsonl'));
    await writeFile(temp.path('file.txt'), 'x');
    await expect(checkOutputs([], [results(temp.path('d.jsonl'), 'overwrite')])).rejects.toThrow(/it is a directory/);
    await expect(checkOutputs([], [{ path: temp.path('file.txt', 'sub', 's.json'), role: 'summary', existing: 'refuse' }])).rejects.toThrow(
      /cannot write the summary to .*file\.txt\/sub\/s\.json: .*file\.txt is not a directory/,
    );
  });

  it('allows writing over a device (nothing there to lose)', async () => {
    await checkOutputs([], [{ path: '/dev/null', role: 'summary', existing: 'refuse' }]);
  });

  it.skipIf(isRoot)('refuses a read-only directory before anything is written', async () => {
    await mkdir(temp.path('ro'));
    await chmod(temp.path('ro'), 0o555);
    try {
      await expect(checkOutputs([], [{ path: temp.path('ro', 'sub', 's.json'), role: 'summary', existing: 'refuse' }])).rejects.toThrow(
        /cannot write the summary .*ro\/sub\/s\.json: cannot create files in .*ro \(permission denied\)/,
      );
    } finally {
      await chmod(temp.path('ro'), 0o755);
    }
  });
});
