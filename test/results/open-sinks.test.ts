import { readdir, readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { openSinks } from '../../src/results/open-sinks.js';
import { makeRecord, useTempDir } from './helpers.js';

const temp = useTempDir();
const options = { force: false, rowColumns: ['input'] };

describe('openSinks', () => {
  it('writes every record to each results file, JSONL and CSV alike', async () => {
    const sink = await openSinks([temp.path('r.jsonl'), temp.path('r.csv')], options);
    await sink.write(makeRecord({ id: 'a', row: { input: 'hello' } }));
    await sink.write(makeRecord({ id: 'b', row: { input: 'world' } }));
    await sink.close();

    const jsonl = (await readFile(temp.path('r.jsonl'), 'utf8')).trim().split('\n');
    expect(jsonl.map((line) => (JSON.parse(line) as { id: string }).id)).toEqual(['a', 'b']);
    const csv = (await readFile(temp.path('r.csv'), 'utf8')).trim().split('\n');
    expect(csv).toHaveLength(3);
    expect(csv[2]).toMatch(/^b,.*,world$/);
  });

  it('refuses to overwrite an existing file and creates none of the other files', async () => {
    await writeFile(temp.path('results.jsonl'), 'precious\n');
    const paths = [temp.path('new.csv'), temp.path('results.jsonl'), temp.path('sub', 'dir', 'other.jsonl')];

    const attempt = openSinks(paths, options);
    await expect(attempt).rejects.toBeInstanceOf(UsageError);
    await expect(attempt).rejects.toThrow(`${temp.path('results.jsonl')} already exists; pass --force to overwrite it`);

    expect(await readdir(temp.dir())).toEqual(['results.jsonl']);
    expect(await readFile(temp.path('results.jsonl'), 'utf8')).toBe('precious\n');
  });

  it('names the file as given in the refusal', async () => {
    await writeFile(temp.path('results.jsonl'), '');
    const asGiven = relative(process.cwd(), temp.path('results.jsonl'));
    await expect(openSinks([asGiven], options)).rejects.toMatchObject({
      message: `${asGiven} already exists; pass --force to overwrite it`,
      hint: expect.stringContaining('--resume'),
    });
  });

  it('overwrites an existing file with force', async () => {
    await writeFile(temp.path('results.jsonl'), 'old line\n');
    const sink = await openSinks([temp.path('results.jsonl')], { ...options, force: true });
    await sink.write(makeRecord({ id: 'fresh' }));
    await sink.close();
    const text = await readFile(temp.path('results.jsonl'), 'utf8');
    expect(text).not.toContain('old line');
    expect((JSON.parse(text) as { id: string }).id).toBe('fresh');
  });

  it.each([['results.txt'], ['results.json'], ['results']])(
    'rejects %s for its extension, naming it, before creating anything',
    async (name) => {
      const attempt = openSinks([temp.path('ok.jsonl'), temp.path(name)], options);
      await expect(attempt).rejects.toBeInstanceOf(UsageError);
      await expect(attempt).rejects.toThrow(temp.path(name));
      expect(await readdir(temp.dir())).toEqual([]);
    },
  );

  it('rejects the same file given twice, even spelled differently', async () => {
    await expect(openSinks([temp.path('a.jsonl'), temp.path('a.jsonl')], options)).rejects.toBeInstanceOf(UsageError);
    const respelled = `${temp.dir()}/sub/../a.jsonl`;
    await expect(openSinks([temp.path('a.jsonl'), respelled], options)).rejects.toThrow(/same results file/);
    expect(await readdir(temp.dir())).toEqual([]);
  });

  it('creates missing parent directories', async () => {
    const path = temp.path('deep', 'er', 'results.csv');
    const sink = await openSinks([path], options);
    await sink.close();
    expect(await readFile(path, 'utf8')).toMatch(/^id,score,pass,/);
  });
});
