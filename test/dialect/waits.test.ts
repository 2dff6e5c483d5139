import { describe, expect, it } from 'vitest';
import { parseProtoDuration } from '../../src/dialect/durations.js';
import type { ServerError } from '../../src/dialect/error-body.js';
import { serverWait } from '../../src/dialect/waits.js';

const now = Date.parse('2026-12-04T10:00:00Z');
const error = (fields: Partial<ServerError> = {}): ServerError => ({ status: 429, message: 'm', ...fields });

describe('serverWait', () => {
  it.each([
    ['retry-after-ms (Azure, openai-node)', error(), { 'retry-after-ms': '640', 'retry-after': '9' }, { ms: 640, source: 'retry-after-ms' }],
    ['retry-after in seconds', error(), { 'retry-after': '2' }, { ms: 2_000, source: 'retry-after' }],
    ['retry-after as an HTTP date', error(), { 'retry-after': 'Fri, 04 Dec 2026 10:00:05 GMT' }, { ms: 5_000, source: 'retry-after' }],
    ['Gemini RetryInfo, no header', error({ retryDelayMs: 1_000 }), {}, { ms: 1_000, source: 'RetryInfo.retryDelay' }],
    ['a header beats the body', error({ retryDelayMs: 1_000 }), { 'retry-after': '3' }, { ms: 3_000, source: 'retry-after' }],
    [
      'OpenRouter metadata.headers X-RateLimit-Reset in epoch ms',
      error({ rateHeaders: { 'x-ratelimit-reset': String(now + 4_000) } }),
      {},
      { ms: 4_000, source: 'metadata.headers X-RateLimit-Reset' },
    ],
    ['the same, in epoch seconds', error({ rateHeaders: { 'x-ratelimit-reset': String(now / 1000 + 7) } }), {}, { ms: 7_000, source: 'metadata.headers X-RateLimit-Reset' }],
    ['a reset already past is no wait', error({ rateHeaders: { 'x-ratelimit-reset': String(now - 1_000) } }), {}, { ms: 0, source: 'metadata.headers X-RateLimit-Reset' }],
  ])('%s', (_name, read, headers, expected) => {
    expect(serverWait(read, new Headers(headers), now)).toEqual(expected);
  });

  it.each([
    ['nothing at all', error(), {}],
    ['a negative retry-after-ms and an unreadable retry-after', error(), { 'retry-after-ms': '-5', 'retry-after': 'soon' }],
    ['a reset that is not a number', error({ rateHeaders: { 'x-ratelimit-reset': 'tomorrow' } }), {}],
  ])('is undefined for %s', (_name, read, headers) => {
    expect(serverWait(read, new Headers(headers), now)).toBeUndefined();
  });
});

describe('parseProtoDuration', () => {
  it.each([
    ['1s', 1_000],
    ['36s', 36_000],
    ['0.5s', 500],
    ['25.465784708s', 25_465.784708],
  ])('reads %s', (text, ms) => {
    expect(parseProtoDuration(text)).toBeCloseTo(ms, 6);
  });
  it.each(['1', '1m', '-1s', 's', '1.s', ''])('ignores %j', (text) => {
    expect(parseProtoDuration(text)).toBeUndefined();
  });
});
