import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { beforeEach, describe, expect, it } from 'vitest';
import { entryText } from '../../src/cache/entry.js';
import { PackIndex, PACKS_FOLDER } from '../../src/cache/pack-index.js';
import { PackStore } from '../../src/cache/pack-store.js';
import { tempDir } from '../helpers/io.js';
import { packsIn } from './packs.js';

let cacheDir: string;
beforeEach(async () => {
  cacheDir = path.join(await tempDir(), 'cache');
});

const keyOf = (i: number) => createHash('sha256').update(String(i)).digest('hex');
const answer = (content: string) =>
  ({ id: 'c', model: 'm', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }) as unknown as ChatCompletion;
const contentOf = (completion: ChatCompletion | undefined) => completion?.choices[0]?.message.content;

async function writePack(name: string, text: string): Promise<void> {
  await mkdir(path.join(cacheDir, PACKS_FOLDER), { recursive: true });
  await writeFile(path.join(cacheDir, PACKS_FOLDER, name), text);
}

describe('PackStore reading packs', () => {
  it('finds every entry of a pack larger than one read, one line longer than a read among them', async () => {
    const lines = Array.from({ length: 3_000 }, (_, i) => entryText(keyOf(i), answer(`answer ${i} ${'.'.repeat(300)}`), new Date(0)));
    // 1.5 MB in one line: longer than the 1 MB the scan reads at a time.
    lines[1_500] = entryText(keyOf(1_500), answer('x'.repeat(1_500_000)), new Date(0));
    await writePack('20260101T000000000Z-1-aa.jsonl', lines.join(''));
    const store = new PackStore({ dir: cacheDir });
    for (const i of [0, 1, 1_499, 1_501, 2_999]) expect(contentOf(store.read(keyOf(i)))).toBe(`answer ${i} ${'.'.repeat(300)}`);
    expect(contentOf(store.read(keyOf(1_500)))).toHaveLength(1_500_000);
    expect(PackIndex.build(cacheDir).size).toBe(3_000);
    store.close();
  });

  it('skips lines that are not whole entries: garbage, a blank line, and a last line cut short', async () => {
    const whole = (i: number) => entryText(keyOf(i), answer(`answer ${i}`), new Date(0));
    await writePack('20260101T000000000Z-1-aa.jsonl', `${whole(1)}not an entry\n\n${whole(2)}${whole(3).slice(0, 120)}`);
    const store = new PackStore({ dir: cacheDir });
    expect([1, 2, 3].map((i) => contentOf(store.read(keyOf(i))))).toEqual(['answer 1', 'answer 2', undefined]);
    expect(PackIndex.build(cacheDir).size).toBe(2);
    store.close();
  });

  it("reads the later pack's entry for a key both hold", async () => {
    await writePack('20260102T000000000Z-2-bb.jsonl', entryText(keyOf(7), answer('newer'), new Date(0)));
    await writePack('20260101T000000000Z-1-aa.jsonl', entryText(keyOf(7), answer('older'), new Date(0)));
    const store = new PackStore({ dir: cacheDir });
    expect(contentOf(store.read(keyOf(7)))).toBe('newer');
    store.close();
  });

  it("misses, never answers with another's entry, a key whose first 13 hex digits another key shares", async () => {
    const [one, two] = ['0000000000000aaa', '0000000000000bbb'].map((head) => head.padEnd(64, '0'));
    await writePack('20260101T000000000Z-1-aa.jsonl', entryText(one!, answer('one'), new Date(0)) + entryText(two!, answer('two'), new Date(0)));
    const store = new PackStore({ dir: cacheDir });
    expect([contentOf(store.read(one!)), contentOf(store.read(two!))]).toEqual([undefined, 'two']);
    store.close();
  });

  it('misses, without an error, an entry whose pack was removed after the scan', async () => {
    await writePack('20260101T000000000Z-1-aa.jsonl', entryText(keyOf(1), answer('a'), new Date(0)) + entryText(keyOf(2), answer('b'), new Date(0)));
    const store = new PackStore({ dir: cacheDir });
    expect(store.read(keyOf(9))).toBeUndefined();
    await rm(path.join(cacheDir, PACKS_FOLDER), { recursive: true });
    expect(store.read(keyOf(1))).toBeUndefined();
    store.close();
  });
});

describe('PackStore writing', () => {
  it("appends a run's answers to one pack made at its first write, which the next store reads and the same one does not", async () => {
    const store = new PackStore({ dir: cacheDir });
    expect(store.read(keyOf(1))).toBeUndefined();
    expect(existsSync(cacheDir)).toBe(false);
    for (const i of [1, 2, 3]) store.write(keyOf(i), answer(`answer ${i}`), new Date());
    // Not added to this run's index: memory does not grow with what the run writes.
    expect(store.read(keyOf(1))).toBeUndefined();
    store.close();
    store.write(keyOf(4), answer('after the end'), new Date());
    const packs = await packsIn(cacheDir);
    expect(packs).toHaveLength(1);
    expect(packs[0]).toMatch(/^\d{8}T\d{9}Z-\d+-[0-9a-f]{12}\.jsonl$/);
    expect((await readFile(path.join(cacheDir, PACKS_FOLDER, packs[0]!), 'utf8')).split('\n')).toHaveLength(4);
    const next = new PackStore({ dir: cacheDir });
    expect([1, 2, 3, 4].map((i) => contentOf(next.read(keyOf(i))))).toEqual(['answer 1', 'answer 2', 'answer 3', undefined]);
    next.close();
  });

  it('says once that it cannot write, and writes nothing after', async () => {
    await writeFile(cacheDir, 'a file, not a directory');
    const failures: string[] = [];
    const store = new PackStore({ dir: cacheDir, onWriteFailure: (message) => failures.push(message) });
    expect(store.read(keyOf(1))).toBeUndefined();
    store.write(keyOf(1), answer('a'), new Date());
    store.write(keyOf(2), answer('b'), new Date());
    expect(failures).toHaveLength(1);
    expect(failures[0]).toContain(`could not write to the response cache in ${cacheDir}`);
    store.close();
  });
});
