import { describe, expect, it } from 'vitest';
import { RequestGate, type GateTicket, type RequestGateOptions } from '../../src/scheduler/request-gate.js';
import { shardShare } from '../../src/scheduler/shard-share.js';
import { fakeClock } from './fake-clock.js';

/** No margins: the arithmetic below is the server's own. */
const exact = { rate: 1, capacity: 1 };
const small = { promptTokens: 10, completionTokens: 0 };
const headers = (values: Record<string, string>) => new Headers(values);
/** What the emulator at --rpm 600 --tpm 600000 says with its buckets full. */
const full600 = {
  'x-ratelimit-limit-requests': '600',
  'x-ratelimit-remaining-requests': '600',
  'x-ratelimit-limit-tokens': '600000',
  'x-ratelimit-remaining-tokens': '600000',
};

function harness(options: Partial<RequestGateOptions> = {}) {
  const clock = fakeClock(0);
  const gate = new RequestGate({ maxConcurrency: 100, now: clock.now, sleep: clock.sleep, epochNow: () => 0, margins: exact, ...options });
  const granted: Array<{ at: number; ticket: GateTicket }> = [];
  const request = () =>
    gate.acquire(small).then((ticket) => {
      granted.push({ at: clock.now(), ticket });
      return ticket;
    });
  return { clock, gate, granted, request, times: () => granted.map((g) => g.at) };
}

describe('a shard\'s share of the limits', () => {
  it('paces to its share of the limits it learns from the headers', async () => {
    const h = harness({ share: 1 / 3 });
    const first = await h.request();
    first.succeeded({ headers: headers(full600) });
    expect(h.gate.state()).toMatchObject({ rpm: 200, tpm: 200_000, source: { rpm: 'server', tpm: 'server' } });
    for (let i = 0; i < 6; i++) void h.request();
    await h.clock.advance(1_000);
    // A third of a 10-request slice (3⅓) goes at once, then one every 300 ms: 200 a minute, not 600.
    expect(h.times()).toEqual([0, 0, 0, 0, 200, 500, 800]);
  });

  it('takes --rpm and --tpm as given, and scales only the limit it learns', async () => {
    const given = harness({ share: 1 / 3, rpm: 600, tpm: 1e12 });
    for (let i = 0; i < 12; i++) void given.request();
    await given.clock.advance(200);
    // The full 600 a minute: a slice of 10 at once, then one every 100 ms.
    expect(given.times()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200]);

    const mixed = harness({ share: 1 / 3, tpm: 90_000 });
    (await mixed.request()).succeeded({ headers: headers(full600) });
    expect(mixed.gate.state()).toMatchObject({ rpm: 200, tpm: 90_000, source: { rpm: 'server', tpm: 'flag' } });
  });

  it('keeps no more than its share of what the server says is left, and waits for the rest to refill', async () => {
    const h = harness({ share: 1 / 3 });
    const first = await h.request();
    // Other processes on the key have left a tenth of the server's slice: this shard may hold a
    // tenth of its own 3⅓ (⅓ request), so the next one waits 200 ms for the other ⅔ at 1 per 300 ms.
    first.succeeded({ headers: headers({ ...full600, 'x-ratelimit-remaining-requests': '60' }) });
    void h.request();
    await h.clock.advance(199);
    expect(h.times()).toEqual([0]);
    await h.clock.advance(1);
    expect(h.times()).toEqual([0, 200]);
    // Nothing left at all: the bucket empties, and the next waits a whole 300 ms.
    h.granted[1]!.ticket.succeeded({ headers: headers({ ...full600, 'x-ratelimit-remaining-requests': '0' }) });
    void h.request();
    await h.clock.advance(299);
    expect(h.granted).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.times()).toEqual([0, 200, 500]);
  });
});

describe('shardShare', () => {
  it('is a shard\'s rows over all shards\' rows, so uneven shards finish together', () => {
    expect(shardShare({ index: 3, count: 3 }, { rows: 120, allRows: 300, limited: false })).toBe(0.4);
    expect(shardShare({ index: 1, count: 3 }, { rows: 87, allRows: 300, limited: false })).toBe(0.29);
  });

  it('is 1/n under --limit or without counts, and 1 for a run that is not sharded', () => {
    expect(shardShare({ index: 1, count: 4 }, { rows: 10, allRows: 17, limited: true })).toBe(0.25);
    expect(shardShare({ index: 2, count: 4 }, { rows: 0, allRows: 0, limited: false })).toBe(0.25);
    expect(shardShare(undefined, { rows: 10, allRows: 10, limited: false })).toBe(1);
    expect(shardShare({ index: 1, count: 1 }, { rows: 10, allRows: 10, limited: false })).toBe(1);
  });
});
