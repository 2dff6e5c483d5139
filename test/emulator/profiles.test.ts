import { describe, expect, it } from 'vitest';
import { PROFILES, profileNames, type ProfileOptions } from '../../src/emulator/profiles.js';
import { runAgainstEmulator } from '../helpers/run.js';

/** What the same 20 rows grade to on the plain emulator: every profile must agree, row by row. */
async function referenceScores(): Promise<Map<string, number | null>> {
  const { records } = await runAgainstEmulator({}, { rows: 20, concurrency: 4 });
  return new Map(records.map((r) => [r.id, r.score]));
}

describe('every provider profile grades the same 20 rows', () => {
  it.each(profileNames)('%s: every row graded, with the scores the plain emulator gives', async (profile) => {
    const reference = await referenceScores();
    const { result, records, stats } = await runAgainstEmulator({ profile }, { rows: 20, concurrency: 4 });
    expect(result.kind === 'run' && result.exitCode).toBe(0);
    expect(records.filter((r) => r.error !== null)).toEqual([]);
    expect(records).toHaveLength(20);
    // A profile that answers in prose (Anthropic ignores response_format) still yields a score on the scale.
    if (!('ignoreResponseFormat' in PROFILES[profile].options)) {
      for (const record of records) expect(record.score).toBe(reference.get(record.id));
    } else {
      for (const record of records) expect(record.score).toEqual(expect.any(Number));
    }
    // Prose answers cost one re-ask for each row in flight before verdict switches to text, and a
    // refused parameter one re-send for each request in flight before verdict adapts it.
    const options: ProfileOptions = PROFILES[profile].options;
    const adapts = options.ignoreResponseFormat === true || options.reasoning?.refuseMaxCompletionTokens !== undefined;
    expect(stats.requests).toBeLessThanOrEqual(adapts ? 24 : 20);
  });

  it('names each profile\'s source', () => {
    for (const name of profileNames) expect(PROFILES[name].source).not.toBe('');
  });
});
