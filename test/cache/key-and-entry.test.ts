import { describe, expect, it } from 'vitest';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { cacheKey } from '../../src/cache/key.js';
import { entryText, parseEntry } from '../../src/cache/entry.js';
import { isCacheable } from '../../src/cache/policy.js';
import { parseDuration } from '../../src/cache/duration.js';

const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'grade this' }], temperature: 0, max_completion_tokens: 400 };
const base = { baseUrl: 'http://127.0.0.1:8787/v1', body, sample: { repeat: 1, order: null } } as const;

const completion = {
  id: 'c1',
  object: 'chat.completion',
  created: 1,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: '{"reasoning":"ok","score":4}', refusal: null }, finish_reason: 'stop', logprobs: null }],
  usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
} as unknown as ChatCompletion;

describe('cacheKey', () => {
  it('is the same whatever order the body was built in', () => {
    const reordered = { max_completion_tokens: 400, temperature: 0, messages: body.messages, model: body.model };
    expect(cacheKey({ ...base, body: reordered })).toBe(cacheKey(base));
  });

  it.each([
    ['the model', { ...base, body: { ...body, model: 'gpt-4o' } }],
    ['one byte of a message', { ...base, body: { ...body, messages: [{ role: 'user', content: 'grade thiz' }] } }],
    ['a sampling parameter', { ...base, body: { ...body, max_completion_tokens: 401 } }],
    ['the response format', { ...base, body: { ...body, response_format: { type: 'json_object' } } }],
    ['the base URL', { ...base, baseUrl: 'http://127.0.0.1:8788/v1' }],
    ['the repeat', { ...base, sample: { repeat: 2, order: null } }],
    ['the order of a pair', { ...base, sample: { repeat: 1, order: 'BA' as const } }],
  ])('changes with %s', (_what, parts) => {
    expect(cacheKey(parts)).not.toBe(cacheKey(base));
  });

  it('ignores a trailing slash on the base URL', () => {
    expect(cacheKey({ ...base, baseUrl: `${base.baseUrl}/` })).toBe(cacheKey(base));
  });
});

describe('a cache entry read back', () => {
  const key = cacheKey(base);
  const text = entryText(key, completion, new Date(0));

  it('gives the completion it holds', () => {
    expect(parseEntry(text, key)).toEqual(completion);
  });

  it.each([
    ['truncated', text.slice(0, text.length / 2)],
    ['empty', ''],
    ['not JSON', 'garbage'],
    ['of another format', text.replace('verdict-cache/1', 'verdict-cache/0')],
    ['without choices', entryText(key, { ...completion, choices: [] }, new Date(0))],
    ['with a score where the message should be', entryText(key, { ...completion, choices: [{ index: 0, message: 4 }] } as unknown as ChatCompletion, new Date(0))],
  ])('is a miss when it is %s', (_what, bad) => {
    expect(parseEntry(bad, key)).toBeUndefined();
  });

  it('is a miss when it answers another key (a file copied under a foreign name)', () => {
    expect(parseEntry(text, cacheKey({ ...base, sample: { repeat: 2, order: null } }))).toBeUndefined();
  });
});

describe('isCacheable', () => {
  it.each([
    ['auto', 'gpt-4o-mini', 0, true],
    ['auto', 'gpt-4o-mini', 0.7, false],
    ['auto', 'gpt-4o-mini', undefined, false],
    ['auto', 'gpt-5', undefined, true],
    ['auto', 'o4-mini', undefined, true],
    ['auto', 'gpt-5.1', 0.7, false],
    ['on', 'gpt-4o-mini', 0.7, true],
    ['off', 'gpt-4o-mini', 0, false],
  ] as const)('%s, %s at temperature %s: %s', (policy, model, temperature, expected) => {
    expect(isCacheable(policy, { model, ...(temperature === undefined ? {} : { temperature }) })).toBe(expected);
  });
});

describe('parseDuration', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['12h', 12 * 3_600_000],
    ['30m', 1_800_000],
    ['45s', 45_000],
    ['2w', 14 * 86_400_000],
  ])('reads %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['7', 'd', '7y', '-1d', 'a week'])('refuses %s', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
