import { RateLimitError } from 'openai';
import { describe, expect, it } from 'vitest';
import { ask, clientFor, post, rejection, withEmulator } from './helpers.js';

describe('rate limits', () => {
  it('answers 429 with retry-after-ms once a burst passes one second\'s share of the RPM, with parsable x-ratelimit headers', async () => {
    await withEmulator({ rpm: 120, tpm: 1_000_000 }, async (emu) => {
      const client = clientFor(emu);
      // A large max_completion_tokens charges ~8k tokens a request, nearly the one-second bucket (16,666)
      // for two: refilling that takes about a second,
      // so the remaining-tokens check below cannot race the bucket's refill on a slow machine.
      const results = await Promise.allSettled([1, 2, 3, 4, 5].map((i) => ask(client, `row ${i}`, { max_completion_tokens: 8_000 }).withResponse()));
      const passed = results.filter((r) => r.status === 'fulfilled');
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      expect(passed).toHaveLength(2);
      expect(refused).toHaveLength(3);
      for (const error of refused) {
        expect(error).toBeInstanceOf(RateLimitError);
        const rateLimit = error as RateLimitError;
        expect([rateLimit.code, rateLimit.type]).toEqual(['rate_limit_exceeded', 'requests']);
        expect(error.message).toMatch(/on requests per min \(RPM\): Limit 120, Used \d+, Requested 1\. Please try again in \d+ms\./);
        const retryAfterMs = Number(rateLimit.headers.get('retry-after-ms'));
        expect(retryAfterMs).toBeGreaterThan(0);
        expect(retryAfterMs).toBeLessThanOrEqual(500);
        expect(rateLimit.headers.get('retry-after')).toBe('1');
        // The bucket was emptied moments ago; it refills at 2 per second, so well under half is back.
        expect(Number(rateLimit.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(60);
      }
      const headers = (passed[0] as PromiseFulfilledResult<{ response: Response }>).value.response.headers;
      expect(headers.get('x-ratelimit-limit-requests')).toBe('120');
      expect(headers.get('x-ratelimit-limit-tokens')).toBe('1000000');
      expect(Number.isInteger(Number(headers.get('x-ratelimit-remaining-requests')))).toBe(true);
      expect(Number(headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(1_000_000);
      expect(headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+ms|[\d.]+s|0s)$/);
      expect(emu.stats().outcomes).toEqual({ ok: 2, rate_limited_by_budget: 3 });
    });
  });

  it('refuses a request bigger than the whole TPM as "Request too large" with no retry hint', async () => {
    await withEmulator({ tpm: 100 }, async (emu) => {
      const error = await rejection(ask(clientFor(emu), 'x', { max_completion_tokens: 200 }));
      expect(error).toBeInstanceOf(RateLimitError);
      expect([(error as RateLimitError).code, (error as RateLimitError).type]).toEqual(['rate_limit_exceeded', 'tokens']);
      expect(error.message).toMatch(/Request too large for gpt-4o-mini .* on tokens per min \(TPM\): Limit 100, Requested 208\./);
      expect((error as RateLimitError).headers.get('retry-after-ms')).toBeNull();
    });
  });

  it('does not charge the budget for faulted requests', async () => {
    await withEmulator({ rpm: 60, faults: [{ kind: 'server_error', count: 3 }] }, async (emu) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await post(emu, { model: 'm', messages: [{ role: 'user', content: 'x' }] })).status);
      expect(statuses).toEqual([500, 500, 500, 200, 429]);
    });
  });
});
