import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli.js';
import { buildReport } from '../../../src/report/html/build-report.js';
import { displayPath, withDisplayPath } from '../../../src/report/html/display-path.js';
import { useEmulator } from '../../helpers/emulator.js';
import { captureIo, tempDir } from '../../helpers/io.js';
import { qaDataset, TEST_KEY } from '../../helpers/run.js';
import { embeddedData, record, writeResults } from './helpers.js';

const emulator = useEmulator({ seed: 5 });
let dir: string;

beforeEach(async () => {
  dir = await tempDir();
});

const promptText = '---\nname: mine\nmode: score\nscale: { min: 1, max: 5 }\n---\nuser:\nRate {{ output }} for {{ input }} against {{ reference }}.\n';

describe('paths in a report', () => {
  it('name the prompt and the results of a run given by absolute paths without the directories they are in', async () => {
    const prompt = path.join(dir, 'judges', 'mine.md');
    await mkdir(path.dirname(prompt));
    await writeFile(prompt, promptText);
    const dataset = await qaDataset(6, dir);
    const report = path.join(dir, 'report.html');
    const { io, stderr } = captureIo({ env: { OPENAI_API_KEY: TEST_KEY, OPENAI_BASE_URL: emulator.url } });
    const code = await main(['run', '-d', dataset, '-p', prompt, '-o', path.join(dir, 'results.jsonl'), '-o', report], io);
    expect(code, stderr()).toBe(0);
    const html = await readFile(report, 'utf8');
    const data = embeddedData(html);
    expect(data.runs[0]!.input_note).toContain('with the prompt "mine" (mine.md, sha256 ');
    expect(data.runs[0]!.file).toBe('results.jsonl');
    expect(html).not.toContain(dir);
    expect(html).not.toContain(path.dirname(dir) + path.sep);
  });

  it('name a prompt that is not the one that graded the rows, or does not load, by its file name', async () => {
    const prompt = path.join(dir, 'mine.md');
    await writeFile(prompt, promptText);
    const file = await writeResults(path.join(dir, 'other.jsonl'), [record('a', 'b'.repeat(64), { judge: { model: 'm', prompt: 'mine', prompt_sha: 'b'.repeat(64) } })]);
    const changed = await buildReport([{ file }], { prompt });
    expect(changed.data.runs[0]!.input_note).toMatch(/^The judge input is not shown rendered: mine\.md \(sha256 \w+\) is not the prompt/);
    await writeFile(prompt, '---\nmode: nonsense\n---\nuser:\nx\n');
    const broken = await buildReport([{ file }], { prompt });
    expect(broken.data.runs[0]!.input_note).toMatch(/the prompt mine\.md could not be loaded \(.*mine\.md/);
    expect(JSON.stringify([changed.data, broken.data])).not.toContain(dir);
  });

  it('are relative to the working directory inside it, and a base name outside it', () => {
    const cwd = path.join(path.sep, 'home', 'grader', 'evals');
    expect(displayPath(path.join(cwd, 'judges', 'mine.md'), cwd)).toBe('judges/mine.md');
    expect(displayPath('judges/mine.md', cwd)).toBe('judges/mine.md');
    expect(displayPath(path.join(path.sep, 'home', 'grader', 'mine.md'), cwd)).toBe('mine.md');
    expect(displayPath('../shared/mine.md', cwd)).toBe('mine.md');
    expect(displayPath('..mine.md', cwd)).toBe('..mine.md');
    const absolute = path.join(path.sep, 'home', 'grader', 'p.md');
    expect(withDisplayPath(`${absolute}:3: mode must be one of score, pass_fail`, absolute, cwd)).toBe('p.md:3: mode must be one of score, pass_fail');
  });
});
