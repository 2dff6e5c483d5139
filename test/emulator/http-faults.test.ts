import {
  APIConnectionError,
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  RateLimitError,
} from 'openai';
import { LengthFinishReasonError } from 'openai/core/error';
import type OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { ask, clientFor, gradeFormat, post, rejection, waitFor, withEmulator } from './helpers.js';

describe('faults, as the real client sees them', () => {
  async function faulted(options: EmulatorOptions, run: (client: OpenAI) => Promise<unknown>): Promise<Error> {
    return withEmulator(options, (emu) => rejection(run(clientFor(emu, { timeout: 300 }))));
  }

  it('rate_limit → RateLimitError rate_limit_exceeded with retry-after-ms and retry-after', async () => {
    const error = await faulted({ faults: [{ kind: 'rate_limit', retryAfterMs: 1500 }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(RateLimitError);
    const rateLimit = error as RateLimitError;
    expect([rateLimit.code, rateLimit.type]).toEqual(['rate_limit_exceeded', 'requests']);
    expect(rateLimit.headers.get('retry-after-ms')).toBe('1500');
    expect(rateLimit.headers.get('retry-after')).toBe('2');
  });

  it('server_error → InternalServerError with status 500, or the rule\'s status', async () => {
    const plain = await faulted({ faults: [{ kind: 'server_error' }] }, (c) => ask(c, 'x'));
    expect(plain).toBeInstanceOf(InternalServerError);
    expect([(plain as InternalServerError).status, (plain as InternalServerError).type]).toEqual([500, 'server_error']);
    const gateway = await faulted({ faults: [{ kind: 'server_error', status: 502 }] }, (c) => ask(c, 'x'));
    expect((gateway as InternalServerError).status).toBe(502);
  });

  it('overloaded → InternalServerError 503 server_is_overloaded', async () => {
    const error = await faulted({ faults: [{ kind: 'overloaded' }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(InternalServerError);
    expect([(error as InternalServerError).status, (error as InternalServerError).code]).toEqual([503, 'server_is_overloaded']);
  });

  it('drop → APIConnectionError that is not a timeout', async () => {
    const error = await faulted({ faults: [{ kind: 'drop' }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(APIConnectionError);
    expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
  });

  it('hang → APIConnectionTimeoutError once the client gives up, which also releases the request', async () => {
    await withEmulator({ faults: [{ kind: 'hang' }] }, async (emu) => {
      const error = await rejection(ask(clientFor(emu, { timeout: 150 }), 'x'));
      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      await waitFor(() => emu.stats().inFlight === 0);
      expect(emu.stats().log[0]).toMatchObject({ status: 0, outcome: 'hang' });
    });
  });

  it('insufficient_quota → RateLimitError whose code and type say insufficient_quota', async () => {
    const error = await faulted({ faults: [{ kind: 'insufficient_quota' }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(RateLimitError);
    expect([(error as RateLimitError).code, (error as RateLimitError).type]).toEqual(['insufficient_quota', 'insufficient_quota']);
    expect(error.message).toContain('You exceeded your current quota');
  });

  it('unauthorized → AuthenticationError whose message contains the full key sent', async () => {
    const error = await faulted({ faults: [{ kind: 'unauthorized' }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error.message).toContain('sk-test-key');
  });

  it('bad_request → BadRequestError invalid_request_error', async () => {
    const error = await faulted({ faults: [{ kind: 'bad_request' }] }, (c) => ask(c, 'x'));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).type).toBe('invalid_request_error');
  });

  it('truncated → finish_reason length with cut JSON, which the parse helper rejects', async () => {
    await withEmulator({ faults: [{ kind: 'truncated' }] }, async (emu) => {
      const client = clientFor(emu);
      const answer = await ask(client, 'x', { response_format: gradeFormat });
      expect(answer.choices[0]!.finish_reason).toBe('length');
      expect(answer.choices[0]!.message.content!.startsWith('{"')).toBe(true);
      expect(() => JSON.parse(answer.choices[0]!.message.content!)).toThrow();
      const error = await rejection(
        client.chat.completions.parse({ model: 'm', messages: [{ role: 'user', content: 'x' }], response_format: gradeFormat }),
      );
      expect(error).toBeInstanceOf(LengthFinishReasonError);
    });
  });

  it('malformed, empty and refusal → 200 answers with unusable content', async () => {
    await withEmulator({ faults: [{ kind: 'malformed', match: 'm1' }, { kind: 'empty', match: 'e1' }, { kind: 'refusal', match: 'r1' }] }, async (emu) => {
      const client = clientFor(emu);
      const malformed = (await ask(client, 'm1', { response_format: gradeFormat })).choices[0]!.message;
      expect(malformed.content).toBe('I think it is pretty good.');
      expect(() => JSON.parse(malformed.content!)).toThrow();
      expect((await ask(client, 'e1')).choices[0]!.message.content).toBe('');
      const refusal = (await ask(client, 'r1')).choices[0]!.message;
      expect(refusal.content).toBeNull();
      expect(refusal.refusal).toBe("I can't help with that.");
      expect(emu.stats().outcomes).toEqual({ malformed: 1, empty: 1, refusal: 1 });
    });
  });

  it('not_json → 200 text/html that the client hands back as a string, not a completion', async () => {
    await withEmulator({ faults: [{ kind: 'not_json' }] }, async (emu) => {
      const { data, response } = await ask(clientFor(emu), 'x').withResponse();
      expect(response.headers.get('content-type')).toMatch(/^text\/html/);
      expect(typeof data).toBe('string');
      expect(data as unknown as string).toContain('<html>');
    });
  });
});

describe('fault targeting', () => {
  it('faults only the first `count` requests, then answers normally', async () => {
    await withEmulator({ faults: [{ kind: 'server_error', count: 2 }] }, async (emu) => {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(emu, { model: 'm', messages: [{ role: 'user', content: `${i}` }] })).status);
      expect(statuses).toEqual([500, 500, 200, 200]);
    });
  });

  it('faults only requests whose messages contain `match`', async () => {
    await withEmulator({ faults: [{ kind: 'overloaded', match: 'row-7' }] }, async (emu) => {
      const status = async (content: string) => (await post(emu, { model: 'm', messages: [{ role: 'system', content: 'judge' }, { role: 'user', content }] })).status;
      expect([await status('row-6'), await status('row-7'), await status('row-8'), await status('again row-7')]).toEqual([200, 503, 200, 503]);
    });
  });

  it('faults a seeded share of requests at `rate`, the same ones on every run', async () => {
    const statuses = (seed: number) =>
      withEmulator({ seed, faults: [{ kind: 'server_error', rate: 0.5 }] }, async (emu) => {
        const seen: number[] = [];
        for (let i = 0; i < 30; i++) seen.push((await post(emu, { model: 'm', messages: [{ role: 'user', content: 'same' }] })).status);
        return seen;
      });
    const first = await statuses(3);
    const failures = first.filter((status) => status === 500).length;
    expect(failures).toBeGreaterThan(5);
    expect(failures).toBeLessThan(25);
    expect(await statuses(3)).toEqual(first);
  });

  it('lets setFaults replace the rules while running', async () => {
    await withEmulator({ faults: [{ kind: 'server_error' }] }, async (emu) => {
      const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
      expect((await post(emu, body)).status).toBe(500);
      emu.setFaults([]);
      expect((await post(emu, body)).status).toBe(200);
    });
  });
});
