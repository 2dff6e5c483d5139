import { describe, expect, it } from 'vitest';
import { emulatorCommand } from '../../src/emulator/command.js';
import { post, waitFor, withEmulator } from './helpers.js';

const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('announced cooldowns', () => {
  it("counts a request that arrives before a 429's retry-after-ms has passed, and none after", async () => {
    await withEmulator({ faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 150 }] }, async (emu) => {
      expect((await post(emu, body)).status).toBe(429);
      expect((await post(emu, body)).status).toBe(200);
      await pause(170);
      expect((await post(emu, body)).status).toBe(200);
      const stats = emu.stats();
      expect(stats.duringCooldown).toBe(1);
      expect(stats.log.map((entry) => entry.duringCooldown ?? false)).toEqual([false, true, false]);
    });
  });

  it("treats the budget's own 429 as a cooldown too", async () => {
    await withEmulator({ rpm: 60 }, async (emu) => {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push((await post(emu, body)).status);
      expect(statuses).toEqual([200, 429, 429]);
      expect(emu.stats().duringCooldown).toBe(1);
    });
  });

  it('is not opened by a 429 without retry-after-ms, and resetStats zeroes the count', async () => {
    await withEmulator({ tpm: 10, faults: [{ kind: 'rate_limit', count: 1, retryAfterMs: 5_000, match: 'late' }] }, async (emu) => {
      const tooLarge = { ...body, max_completion_tokens: 50 };
      // "Request too large" never passes, so it names no time to come back.
      expect((await post(emu, tooLarge)).status).toBe(429);
      expect((await post(emu, tooLarge)).status).toBe(429);
      expect(emu.stats().duringCooldown).toBe(0);
      const late = { model: 'm', messages: [{ role: 'user', content: 'late' }], max_completion_tokens: 1 };
      expect((await post(emu, late)).status).toBe(429); // the fault, with retry-after-ms
      expect((await post(emu, tooLarge)).status).toBe(429);
      expect(emu.stats().duringCooldown).toBe(1);
      emu.resetStats();
      expect(emu.stats().duringCooldown).toBe(0);
    });
  });
});

describe('a long token reset', () => {
  it('reports x-ratelimit-reset-tokens as the configured duration, Go-style, on every answer', async () => {
    await withEmulator({ tpm: 150_000, resetTokensMs: 360_000 }, async (emu) => {
      const response = await post(emu, body);
      expect(response.headers.get('x-ratelimit-reset-tokens')).toBe('6m0s');
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('150000');
      // The budget itself is untouched: the tokens are all but all there.
      expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeGreaterThan(140_000);
    });
  });

  it('is set by `verdict emulator --reset-tokens <ms>`', async () => {
    const lines: string[] = [];
    let stop!: () => void;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const run = emulatorCommand({ print: (line) => lines.push(line), untilStopped: () => stopped }).parseAsync(
      ['--port', '0', '--rpm', '60', '--reset-tokens', '360000'],
      { from: 'user' },
    );
    await waitFor(() => lines.length > 0);
    const url = lines[0]!.replace('verdict emulator listening on ', '');
    const response = await fetch(`${url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.headers.get('x-ratelimit-reset-tokens')).toBe('6m0s');
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('60');
    stop();
    await run;
  });
});
