import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type * as z from 'zod';
import { RunOptions } from '../../src/config.js';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';
import { ResultRecord } from '../../src/results/record.js';
import { runEval, type RunDependencies } from '../../src/run/run-eval.js';
import type { RunEvent } from '../../src/run/events.js';
import { tempDir } from './io.js';

export const TEST_KEY = 'test-key-verdict-0123456789abcdef-DONOTLEAK';

/** A JSONL dataset of `n` Q&A rows with ids q1..qn, written to a temp dir. */
export async function qaDataset(n: number, dir?: string): Promise<string> {
  const folder = dir ?? (await tempDir());
  const file = path.join(folder, 'qa.jsonl');
  const lines = Array.from({ length: n }, (_, i) =>
    JSON.stringify({ id: `q${i + 1}`, input: `Question number ${i + 1}?`, reference: `Answer ${i + 1}.`, output: `Reply ${i + 1}.` }),
  );
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}

/** Reads a JSONL results file, checking every line against the record schema. */
export async function readRecords(file: string): Promise<ResultRecord[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => ResultRecord.parse(JSON.parse(line)));
}

/**
 * Starts an emulator and runs `runEval` against it with test-sized backoff. Returns the result,
 * the records, the events and the emulator (closed by the caller via `using`-style cleanup).
 */
export async function runAgainstEmulator(
  emulatorOptions: EmulatorOptions,
  options: Partial<z.input<typeof RunOptions>> & { rows?: number },
  deps: Partial<RunDependencies> = {},
) {
  const emulator = await startEmulator(emulatorOptions);
  const dir = await tempDir();
  const dataset = options.dataset ?? (await qaDataset(options.rows ?? 10, dir));
  // A given --out is where the records are read back from (a resumed run writes into an earlier file).
  const out = options.out?.[0] ?? path.join(dir, 'results.jsonl');
  const events: RunEvent[] = [];
  try {
    const result = await runEval(
      RunOptions.parse({ prompt: 'correctness', out: [out], baseUrl: emulator.url, ...options, dataset }),
      {
        apiKey: TEST_KEY,
        backoff: { baseMs: 5, capMs: 50 },
        onEvent: (event) => events.push(event),
        ...deps,
      },
    );
    const records = result.kind === 'run' ? await readRecords(out) : [];
    return { result, records, events, emulator, stats: emulator.stats(), out, dir };
  } finally {
    await emulator.close();
  }
}

export type { Emulator };
