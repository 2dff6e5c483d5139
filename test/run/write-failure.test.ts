import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { WriteBytes } from '../../src/results/write-error.js';
import { runAgainstEmulator } from '../helpers/run.js';

// Issue 12, defect 5: a full disk ended the run with a bare "ENOSPC", no path, no summary.
describe('a results file that cannot be written', () => {
  it('stops the run as Ctrl-C does: in-flight abandoned, what was written kept, the file and the error named, exit 3', async () => {
    let writes = 0;
    const full: WriteBytes = (handle, bytes, offset, length) => {
      if (++writes > 4) return Promise.reject(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }));
      return handle.write(bytes, offset, length);
    };
    const { result, out, stats } = await runAgainstEmulator({ seed: 5, latencyMs: 5 }, { rows: 60, concurrency: 2 }, { writeBytes: full });
    if (result.kind !== 'run') throw new Error('expected a run');
    expect(result.exitCode).toBe(3);
    expect(result.stop).toMatchObject({ code: 'write_failed', message: `cannot write ${out}: ENOSPC: no space left on device, write` });
    expect(result.stop?.hint).toMatch(/what was written is kept/);
    expect(result.summary.status).toBe('failed');
    // Nothing more was dispatched once the write failed.
    expect(stats.requests).toBeLessThan(20);
    // The file holds whole records only, and exactly the ones the summary counts.
    const lines = (await readFile(out, 'utf8')).split('\n').filter((line) => line !== '');
    expect(lines.every((line) => JSON.parse(line).id !== undefined)).toBe(true);
    expect(lines.length).toBe(result.summary.graded);
    expect(lines.length).toBeGreaterThan(0);
  });
});
