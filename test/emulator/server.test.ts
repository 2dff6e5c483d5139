import { AuthenticationError, BadRequestError } from 'openai';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { ask, clientFor, gradeFormat, gradeSchema, post, rejection, waitFor, withEmulator } from './helpers.js';

describe('chat completions', () => {
  it('answers a complete chat.completion whose structured output satisfies a strict schema', async () => {
    await withEmulator({}, async (emu) => {
      const { data, response } = await ask(clientFor(emu), 'Grade: Paris is the capital of France.', {
        response_format: gradeFormat,
      }).withResponse();
      expect(data).toMatchObject({
        object: 'chat.completion',
        model: 'gpt-4o-mini',
        service_tier: 'default',
        choices: [{ index: 0, finish_reason: 'stop', logprobs: null, message: { role: 'assistant', refusal: null, annotations: [] } }],
      });
      expect(data.id).toMatch(/^chatcmpl-[A-Za-z0-9]+$/);
      expect(data.system_fingerprint).toMatch(/^fp_/);
      expect(gradeSchema.safeParse(JSON.parse(data.choices[0]!.message.content!)).success).toBe(true);
      expect(data.usage).toMatchObject({ prompt_tokens: 3 + 4 + Math.ceil(38 / 4), prompt_tokens_details: { cached_tokens: 0 } });
      expect(data.usage!.total_tokens).toBe(data.usage!.prompt_tokens + data.usage!.completion_tokens);
      expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-f]{32}$/);
      expect(Number(response.headers.get('openai-processing-ms'))).toBeGreaterThanOrEqual(0);
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull();
    });
  });

  it('parses through the SDK\'s zod helper into a typed answer', async () => {
    await withEmulator({}, async (emu) => {
      const completion = await clientFor(emu).chat.completions.parse({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Grade this.' }],
        response_format: gradeFormat,
      });
      const parsed = completion.choices[0]!.message.parsed!;
      expect(parsed.score).toBeGreaterThanOrEqual(1);
      expect(parsed.score).toBeLessThanOrEqual(5);
    });
  });

  it('gives the same score for the same seed and prompt, and different scores for different seeds', async () => {
    const scores = (seed: number) =>
      withEmulator({ seed }, async (emu) => {
        const client = clientFor(emu);
        const results: number[] = [];
        for (const row of ['a', 'b', 'c', 'd', 'e', 'f']) {
          const answer = await ask(client, `Grade row ${row}.`, { response_format: gradeFormat });
          results.push(gradeSchema.parse(JSON.parse(answer.choices[0]!.message.content!)).score);
        }
        return results;
      });
    const first = await scores(1);
    expect(await scores(1)).toEqual(first);
    expect(await scores(2)).not.toEqual(first);
  });

  it('answers a plain-text "Score: k" on the scale the prompt names when no response_format is given', async () => {
    await withEmulator({}, async (emu) => {
      const answer = await ask(clientFor(emu), 'Rate the answer as an integer from 1 to 10.');
      const score = Number(/\nScore: (\d+)$/.exec(answer.choices[0]!.message.content!)?.[1]);
      expect(score).toBeGreaterThanOrEqual(1);
      expect(score).toBeLessThanOrEqual(10);
    });
  });

  it('refuses json_schema with 400 param response_format when structured outputs are off, but still answers text', async () => {
    await withEmulator({ structuredOutputs: false }, async (emu) => {
      const client = clientFor(emu);
      const error = await rejection(ask(client, 'Grade.', { response_format: gradeFormat }));
      expect(error).toBeInstanceOf(BadRequestError);
      expect((error as BadRequestError).param).toBe('response_format');
      expect((await ask(client, 'Grade.')).choices[0]!.message.content).toBeTruthy();
    });
  });

  it('refuses invalid bodies, streaming and unparsable JSON with OpenAI-shaped 400s naming the parameter', async () => {
    await withEmulator({}, async (emu) => {
      const cases: Array<[unknown, string | null, string | null]> = [
        [{ messages: [{ role: 'user', content: 'x' }] }, 'model', 'missing_required_parameter'],
        [{ model: 'm', messages: [{ role: 'user', content: 42 }] }, 'messages[0].content', 'invalid_value'],
        [{ model: 'm', messages: 'hello' }, 'messages', 'invalid_type'],
        [{ model: 'm', messages: [{ role: 'user', content: 'x' }], stream: true }, 'stream', 'unsupported_value'],
        ['{not json', null, null],
      ];
      for (const [body, param, code] of cases) {
        const response = await post(emu, body);
        expect(response.status).toBe(400);
        expect(await response.json()).toEqual({ error: { message: expect.any(String), type: 'invalid_request_error', param, code } });
      }
      expect(emu.stats().outcomes).toEqual({ invalid_request: 5 });
    });
  });
});

describe('auth', () => {
  it('accepts any bearer key by default and answers 401 invalid_api_key without one', async () => {
    await withEmulator({}, async (emu) => {
      expect((await post(emu, { model: 'm', messages: [{ role: 'user', content: 'x' }] })).status).toBe(200);
      const missing = await post(emu, { model: 'm', messages: [] }, {});
      expect(missing.status).toBe(401);
      expect(await missing.json()).toMatchObject({ error: { code: 'invalid_api_key', type: 'invalid_request_error' } });
    });
  });

  it('accepts only the configured key and echoes a wrong key in full, without ever logging it', async () => {
    await withEmulator({ apiKey: 'sk-right' }, async (emu) => {
      const error = await rejection(ask(clientFor(emu, { apiKey: 'sk-wrong-secret-123' }), 'x'));
      expect(error).toBeInstanceOf(AuthenticationError);
      expect((error as AuthenticationError).code).toBe('invalid_api_key');
      expect(error.message).toContain('Incorrect API key provided: sk-wrong-secret-123.');
      await expect(ask(clientFor(emu, { apiKey: 'sk-right' }), 'x')).resolves.toBeTruthy();
      expect(emu.stats().outcomes).toEqual({ invalid_api_key: 1, ok: 1 });
      expect(JSON.stringify(emu.stats())).not.toMatch(/sk-wrong|sk-right/);
    });
  });
});

describe('concurrency and latency', () => {
  it('counts requests in flight while they wait out the latency, and the peak afterwards', async () => {
    await withEmulator({ latencyMs: 120 }, async (emu) => {
      const client = clientFor(emu);
      const started = Date.now();
      const answers = Promise.all([1, 2, 3, 4, 5].map((i) => ask(client, `row ${i}`)));
      await waitFor(() => emu.stats().requests === 5);
      expect(emu.stats().inFlight).toBe(5);
      await answers;
      expect(Date.now() - started).toBeGreaterThanOrEqual(110);
      await waitFor(() => emu.stats().inFlight === 0);
      expect(emu.stats()).toMatchObject({ requests: 5, maxInFlight: 5, outcomes: { ok: 5 } });
    });
  });
});

describe('other endpoints', () => {
  it('lists gpt-4o-mini at GET /v1/models', async () => {
    await withEmulator({}, async (emu) => {
      const models = await clientFor(emu).models.list();
      expect(models.data.map((m) => [m.id, m.owned_by])).toEqual([['gpt-4o-mini', 'verdict-emulator']]);
    });
  });

  it('answers unknown paths with an OpenAI-shaped 404', async () => {
    await withEmulator({}, async (emu) => {
      const response = await fetch(`${emu.url}/embeddings`, { method: 'POST', body: '{}' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { type: 'invalid_request_error', param: null, code: null } });
    });
  });

  it('serves stats, replaces faults and resets through the control endpoints', async () => {
    await withEmulator({}, async (emu) => {
      const control = new URL('/_emulator/', emu.url);
      const body = { model: 'm', messages: [{ role: 'user', content: 'x' }] };
      await post(emu, body);
      const stats = (await (await fetch(new URL('stats', control))).json()) as { requests: number; outcomes: object };
      expect(stats).toMatchObject({ requests: 1, outcomes: { ok: 1 }, log: [{ prompt: 'x', status: 200, outcome: 'ok' }] });

      const set = await fetch(new URL('faults', control), { method: 'POST', body: JSON.stringify({ faults: [{ kind: 'overloaded', count: 1 }] }) });
      expect(set.status).toBe(200);
      expect((await post(emu, body)).status).toBe(503);
      const bad = await fetch(new URL('faults', control), { method: 'POST', body: JSON.stringify({ faults: [{ kind: 'explode' }] }) });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ error: { type: 'invalid_request_error', param: 'faults.0.kind' } });

      expect((await fetch(new URL('reset', control), { method: 'POST' })).status).toBe(200);
      expect(emu.stats()).toEqual({ requests: 0, inFlight: 0, maxInFlight: 0, outcomes: {}, duringCooldown: 0, log: [] });
    });
  });

  it('keeps at most logLimit log entries, dropping the oldest, and records the client\'s retry count', async () => {
    await withEmulator({ logLimit: 2 }, async (emu) => {
      const client = clientFor(emu);
      for (const row of ['one', 'two', 'three']) await ask(client, row);
      expect(emu.stats().log.map((entry) => [entry.prompt, entry.retryCount])).toEqual([['two', '0'], ['three', '0']]);
      expect(emu.stats().requests).toBe(3);
    });
  });
});

describe('close', () => {
  it('releases hanging requests and resolves', async () => {
    const emu = await startEmulator({ faults: [{ kind: 'hang' }] });
    const hanging = fetch(`${emu.url}/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'x' }] }),
    });
    const settled = hanging.then(
      () => 'answered',
      () => 'released',
    );
    await waitFor(() => emu.stats().inFlight === 1);
    await emu.close();
    expect(await settled).toBe('released');
    expect(emu.stats().inFlight).toBe(0);
  });
});

describe('option checks', () => {
  it('refuses bad options and fault rules with a TypeError naming the field', async () => {
    await expect(startEmulator({ port: -1 })).rejects.toThrow(/invalid port/);
    await expect(startEmulator({ faults: [{ kind: 'rate_limit', rate: 2 }] })).rejects.toThrow(/invalid faults\.0\.rate/);
    await withEmulator({}, async (emu) => {
      expect(() => emu.setFaults([{ kind: 'nope' as 'drop' }])).toThrow(/invalid 0\.kind/);
    });
  });
});
