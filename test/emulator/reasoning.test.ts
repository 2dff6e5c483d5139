import { describe, expect, it } from 'vitest';
import { post, withEmulator } from './helpers.js';

const messages = [{ role: 'user', content: 'Grade: Paris is the capital of France.' }];

describe('the emulator as a reasoning model and as other servers', () => {
  it("refuses temperature other than 1 and max_tokens for the models it plays as reasoning models, in OpenAI's shape", async () => {
    await withEmulator({ reasoning: { reasoningModels: '^gpt-5' } }, async (emu) => {
      const refused = await post(emu, { model: 'gpt-5', messages, temperature: 0 });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({
        error: {
          message: "Unsupported value: 'temperature' does not support 0 with this model. Only the default (1) value is supported.",
          type: 'invalid_request_error',
          param: 'temperature',
          code: 'unsupported_value',
        },
      });
      expect((await post(emu, { model: 'gpt-5', messages, max_tokens: 50 })).status).toBe(400);
      expect((await post(emu, { model: 'gpt-5', messages, temperature: 1 })).status).toBe(200);
      expect((await post(emu, { model: 'gpt-4o', messages, temperature: 0 })).status).toBe(200);
    });
  });

  it("refuses max_completion_tokens in Mistral's 422 shape and in Azure's 400 shape", async () => {
    await withEmulator({ reasoning: { refuseMaxCompletionTokens: 'mistral' } }, async (emu) => {
      const refused = await post(emu, { model: 'mistral-small', messages, max_completion_tokens: 32 });
      expect(refused.status).toBe(422);
      expect(await refused.json()).toEqual({
        object: 'error',
        message: { detail: [{ type: 'extra_forbidden', loc: ['body', 'max_completion_tokens'], msg: 'Extra inputs are not permitted', input: 32 }] },
        type: 'invalid_request_error',
        param: null,
        code: null,
      });
      expect((await post(emu, { model: 'mistral-small', messages, max_tokens: 32 })).status).toBe(200);
    });
    await withEmulator({ reasoning: { refuseMaxCompletionTokens: 'azure' } }, async (emu) => {
      const refused = await post(emu, { model: 'gpt-4o', messages, max_completion_tokens: 32 });
      expect(refused.status).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { message: 'Unrecognized request argument supplied: max_completion_tokens', param: null, code: null } });
    });
  });

  it('spends the budget on reasoning first: too small a budget leaves empty content and finish_reason length', async () => {
    await withEmulator({ reasoning: { reasoningTokens: 300, lengthFinishReason: 'model_length' } }, async (emu) => {
      const starved = (await (await post(emu, { model: 'm', messages, max_completion_tokens: 200 })).json()) as any;
      expect(starved.choices[0]).toMatchObject({ finish_reason: 'model_length', message: { content: '' } });
      expect(starved.usage).toMatchObject({ completion_tokens: 200, completion_tokens_details: { reasoning_tokens: 200 } });
      const answered = (await (await post(emu, { model: 'm', messages, max_completion_tokens: 2_000 })).json()) as any;
      expect(answered.choices[0].finish_reason).toBe('stop');
      expect(answered.usage.completion_tokens_details.reasoning_tokens).toBe(300);
      expect(answered.usage.completion_tokens).toBeGreaterThan(300);
    });
  });

  it('ignores max_completion_tokens when told to, and honours max_tokens', async () => {
    await withEmulator({ reasoning: { ignoreMaxCompletionTokens: true, reasoningTokens: 300 } }, async (emu) => {
      const ignored = (await (await post(emu, { model: 'm', messages, max_completion_tokens: 100 })).json()) as any;
      expect(ignored.usage.completion_tokens).toBeGreaterThan(300);
      const honoured = (await (await post(emu, { model: 'm', messages, max_tokens: 100 })).json()) as any;
      expect(honoured.usage.completion_tokens).toBe(100);
      expect(emu.stats().log.map((entry) => entry.sent)).toEqual([{ max_completion_tokens: 100 }, { max_tokens: 100 }]);
    });
  });

  it('writes thinking that holds another grade into the content and a reasoning field, and its own stop reason', async () => {
    await withEmulator({ reasoning: { thinkBlock: true, reasoningField: 'reasoning', stopFinishReason: 'eos' } }, async (emu) => {
      const body = (await (await post(emu, { model: 'm', messages: [{ role: 'user', content: 'Rate it as an integer from 1 to 5.' }] })).json()) as any;
      const choice = body.choices[0];
      expect(choice.finish_reason).toBe('eos');
      const [, thought, answer] = /^<think>([\s\S]*)<\/think>\n([\s\S]*)$/.exec(choice.message.content)!;
      expect(choice.message.reasoning).toBe(thought);
      expect(/Score: (\d)/.exec(thought!)![1]).not.toBe(/Score: (\d)/.exec(answer!)![1]);
    });
  });
});
