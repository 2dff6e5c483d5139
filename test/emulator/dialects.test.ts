/**
 * What the emulator writes in each dialect, read back by verdict's dialect layer: the two sides
 * agree on every shape (each side's sources are cited beside it).
 */
import { describe, expect, it } from 'vitest';
import { readErrorBody } from '../../src/dialect/error-body.js';
import { parseRateHeaders } from '../../src/dialect/rate-headers.js';
import { serverWait } from '../../src/dialect/waits.js';
import { dialectErrorReply } from '../../src/emulator/dialect-errors.js';
import { rateHeadersIn } from '../../src/emulator/rate-header-dialects.js';
import { errorDialects, rateHeaderDialects } from '../../src/emulator/types.js';

const figures = [
  { kind: 'requests' as const, limitPerMinute: 600, remaining: 590, resetMs: 1_000 },
  { kind: 'tokens' as const, limitPerMinute: 90_000, remaining: 80_000, resetMs: 6_000 },
];

describe('error dialects, written by the emulator and read by verdict', () => {
  it.each(errorDialects)('%s keeps the message, the status and the wait', (dialect) => {
    const reply = dialectErrorReply(dialect, { status: 429, type: 'requests', message: 'slow down please', waitMs: 2_000 });
    if (reply.type !== 'json') throw new Error('expected JSON');
    const read = readErrorBody(reply.status, reply.body);
    expect(read.message).toBe('slow down please');
    expect(read.status).toBe(429);
    const wait = serverWait(read, new Headers(reply.headers ?? {}));
    expect(wait?.ms).toBeGreaterThan(1_900);
    expect(wait?.ms).toBeLessThanOrEqual(2_000);
  });
});

describe('rate-header dialects, written by the emulator and read by verdict', () => {
  it.each(rateHeaderDialects.filter((d) => !['none', 'azure', 'groq'].includes(d)))('%s keeps both limits', (dialect) => {
    const hints = parseRateHeaders(new Headers(rateHeadersIn(dialect, figures)));
    expect(hints.requests).toMatchObject({ limit: 600, remaining: 590 });
    expect(hints.tokens).toMatchObject({ limit: 90_000, remaining: 80_000 });
  });

  it('azure\'s -1 token figures read as no token limit at all', () => {
    expect(parseRateHeaders(new Headers(rateHeadersIn('azure', figures))).tokens).toEqual({});
  });

  it('groq\'s per-day request figures are not read as a per-minute limit', () => {
    const hints = parseRateHeaders(new Headers(rateHeadersIn('groq', figures)));
    expect(hints.requests).toEqual({});
    expect(hints.tokens).toMatchObject({ limit: 90_000 });
  });

  it('none sends nothing', () => {
    expect(rateHeadersIn('none', figures)).toEqual({});
  });
});
