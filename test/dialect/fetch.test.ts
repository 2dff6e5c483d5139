import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { answerMeaning, serverErrorOf } from '../../src/dialect/api-error.js';
import { checkChatCompletion, NotAChatCompletionError } from '../../src/dialect/completion-shape.js';
import { createJudgeClient } from '../../src/judge/client.js';
import { useEmulator } from '../helpers/emulator.js';

const request = { model: 'gemini-2.5-flash', messages: [{ role: 'user' as const, content: 'hi' }] };

async function failure(url: string): Promise<APIError> {
  const client = createJudgeClient({ apiKey: 'k', baseURL: url, timeoutMs: 5_000 });
  try {
    await client.chat.completions.create(request);
  } catch (error) {
    if (error instanceof APIError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('the judge client reads error bodies the SDK alone would drop', () => {
  const gemini = useEmulator({ profile: 'gemini' });

  it('a Gemini array: type, message and RetryInfo reach the policy', async () => {
    gemini.setFaults([{ kind: 'rate_limit', retryAfterMs: 1_000 }]);
    const error = await failure(gemini.url);
    expect(error.status).toBe(429);
    expect(error.type).toBe('RESOURCE_EXHAUSTED');
    expect(error.message).toContain('Rate limit reached');
    expect(serverErrorOf(error as APIError & { status: number })).toMatchObject({ retryDelayMs: 1_000 });
    expect(answerMeaning(error)).toMatchObject({ kind: 'rate_limited', wait: { ms: 1_000, source: 'RetryInfo.retryDelay' } });
  });

  it('a per-day quota stops the run', async () => {
    gemini.setFaults([{ kind: 'insufficient_quota' }]);
    expect(answerMeaning(await failure(gemini.url))).toMatchObject({ kind: 'stop', code: 'insufficient_quota' });
  });
});

describe('checkChatCompletion', () => {
  const headers = new Headers();
  it('lets a chat completion through', () => {
    expect(() => checkChatCompletion({ choices: [] }, headers)).not.toThrow();
  });

  it.each([
    ["LM Studio's string error", { error: 'Unexpected endpoint or method. (POST /chat/completions)' }, 'Unexpected endpoint or method'],
    ['an HTML page', '<html>502 Bad Gateway</html>', '502 Bad Gateway'],
    ['an empty object', {}, '{}'],
  ])('refuses %s as not a chat completion', (_name, body, words) => {
    expect(() => checkChatCompletion(body, headers)).toThrow(NotAChatCompletionError);
    expect(() => checkChatCompletion(body, headers)).toThrow(words);
  });

  it('turns an OpenRouter error inside a 200 into the status it names', () => {
    let thrown: unknown;
    try {
      checkChatCompletion({ error: { code: 402, message: 'Insufficient credits' } }, headers);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(APIError);
    expect((thrown as APIError).status).toBe(402);
    expect(answerMeaning(thrown)).toMatchObject({ kind: 'stop', code: 'insufficient_quota', message: 'Insufficient credits' });
  });
});
