import { describe, expect, it } from 'vitest';
import { formatGoDuration } from '../../src/emulator/budget.js';
import { parseGoDuration, parseRateHeaders, parseResetMs } from '../../src/dialect/rate-headers.js';

const headers = (values: Record<string, string>) => new Headers(values);

describe('parseGoDuration', () => {
  it.each([
    ['20ms', 20],
    ['120ms', 120],
    ['1s', 1_000],
    ['8.64s', 8_640],
    ['6m0s', 360_000],
    ['1m30.5s', 90_500],
    ['1h32m15s', 5_535_000],
    ['0s', 0],
    ['0', 0],
    ['.5s', 500],
    ['1.5h', 5_400_000],
    ['500us', 0.5],
    ['2m3ms', 120_003],
    [' 8.64s ', 8_640],
  ])('reads %j as %s ms (ms is matched before m)', (text, ms) => {
    expect(parseGoDuration(text)).toBeCloseTo(ms, 9);
  });

  it.each(['', 'abc', '-1s', '5', '1x', 'ms', '6m0', 's', '1s garbage', '1..2s', 'NaNs'])('ignores %j', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  it.each([0, 20, 999, 1_000, 8_640, 59_999, 360_000, 5_535_000])('reads back what the emulator writes for %s ms', (ms) => {
    expect(parseGoDuration(formatGoDuration(ms))).toBe(ms);
  });
});

describe('parseResetMs', () => {
  const now = Date.UTC(2026, 10, 25, 12, 0, 0);
  it.each([
    ['6m0s', 360_000],
    ['2', 2_000],
    ['0.25', 250],
    [String(now / 1000 + 30), 30_000],
    [new Date(now + 45_000).toISOString(), 45_000],
    [new Date(now + 60_000).toUTCString(), 60_000],
    [String(now / 1000 - 30), 0],
  ])('reads %j as %s ms from now', (text, ms) => {
    expect(parseResetMs(text, now)).toBeCloseTo(ms, 6);
  });

  it.each(['soon', '-1', '', '1 s', 'Tuesday'])('ignores %j', (text) => {
    expect(parseResetMs(text, now)).toBeUndefined();
  });
});

describe('parseRateHeaders', () => {
  it("reads OpenAI's six headers", () => {
    const hints = parseRateHeaders(
      headers({
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-requests': '59',
        'x-ratelimit-remaining-tokens': '149984',
        'x-ratelimit-reset-requests': '1s',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    );
    expect(hints).toEqual({
      requests: { limit: 60, remaining: 59, resetMs: 1_000 },
      tokens: { limit: 150_000, remaining: 149_984, resetMs: 360_000 },
    });
  });

  it('leaves out what is absent, and treats no headers at all as no hints', () => {
    expect(parseRateHeaders(headers({ 'x-ratelimit-limit-requests': '500' }))).toEqual({ requests: { limit: 500 }, tokens: {} });
    expect(parseRateHeaders(undefined)).toEqual({ requests: {}, tokens: {} });
  });

  it.each([
    ['a limit of -1 (Azure)', { 'x-ratelimit-limit-tokens': '-1' }],
    ['a limit of 0 (Azure)', { 'x-ratelimit-limit-tokens': '0' }],
    ['a limit that is not a number', { 'x-ratelimit-limit-tokens': 'lots' }],
    ['a negative remaining', { 'x-ratelimit-remaining-tokens': '-5' }],
    ['an unreadable reset', { 'x-ratelimit-reset-tokens': 'whenever' }],
  ])('ignores %s instead of failing', (_name, values) => {
    expect(parseRateHeaders(headers(values)).tokens).toEqual({});
  });

  it('ignores a remaining larger than the limit beside it', () => {
    const hints = parseRateHeaders(headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '900' }));
    expect(hints.requests).toEqual({ limit: 60 });
  });
});

describe('parseRateHeaders in other servers\' dialects', () => {
  const at = Date.parse('2026-12-04T10:00:00Z');
  it.each([
    [
      'Azure: a limit of -1 makes the remaining and reset beside it meaningless too',
      { 'x-ratelimit-limit-tokens': '-1', 'x-ratelimit-remaining-tokens': '-1', 'x-ratelimit-reset-tokens': '0', 'x-ratelimit-remaining-requests': '79' },
      { requests: { remaining: 79 }, tokens: {} },
    ],
    [
      'Mistral: per-minute request and token figures, no reset',
      { 'x-ratelimit-limit-req-minute': '720', 'x-ratelimit-remaining-req-minute': '717', 'x-ratelimit-limit-tokens-minute': '5000000', 'x-ratelimit-remaining-tokens-minute': '4999911' },
      { requests: { limit: 720, remaining: 717 }, tokens: { limit: 5_000_000, remaining: 4_999_911 } },
    ],
    [
      'Anthropic: resets in RFC 3339',
      {
        'anthropic-ratelimit-requests-limit': '50',
        'anthropic-ratelimit-requests-remaining': '0',
        'anthropic-ratelimit-requests-reset': '2026-12-04T10:00:12Z',
        'anthropic-ratelimit-tokens-limit': '40000',
        'anthropic-ratelimit-tokens-remaining': '39000',
        'anthropic-ratelimit-tokens-reset': '2026-12-04T10:00:01Z',
      },
      { requests: { limit: 50, remaining: 0, resetMs: 12_000 }, tokens: { limit: 40_000, remaining: 39_000, resetMs: 1_000 } },
    ],
    [
      'LiteLLM: the provider\'s headers under llm_provider-',
      { 'llm_provider-x-ratelimit-limit-requests': '500', 'llm_provider-x-ratelimit-remaining-requests': '499', 'llm_provider-x-ratelimit-reset-requests': '120ms' },
      { requests: { limit: 500, remaining: 499, resetMs: 120 }, tokens: {} },
    ],
    [
      'Groq: the request figures are per day, so no per-minute limit is read from them',
      { 'x-groq-region': 'fra', 'x-ratelimit-limit-requests': '14400', 'x-ratelimit-remaining-requests': '14370', 'x-ratelimit-reset-requests': '2m59.56s', 'x-ratelimit-limit-tokens': '18000', 'x-ratelimit-remaining-tokens': '17997', 'x-ratelimit-reset-tokens': '7.66s' },
      { requests: {}, tokens: { limit: 18_000, remaining: 17_997, resetMs: 7_660 } },
    ],
  ])('%s', (_name, values, expected) => {
    const hints = parseRateHeaders(headers(values), at);
    expect(hints.requests).toEqual(expected.requests);
    expect(hints.tokens).toEqual(expected.tokens);
  });

  it('prefers OpenAI\'s names when a server sends two dialects', () => {
    const hints = parseRateHeaders(headers({ 'x-ratelimit-limit-requests': '60', 'anthropic-ratelimit-requests-limit': '50' }));
    expect(hints.requests).toEqual({ limit: 60 });
  });
});
