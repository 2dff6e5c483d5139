import { describe, expect, it } from 'vitest';
import { RequestGate, type GateState, type GateTicket, type GateWait, type RequestGateOptions } from '../../src/scheduler/request-gate.js';
import { fakeClock } from './fake-clock.js';

/** No margins: the arithmetic below is the server's own. */
const exact = { rate: 1, capacity: 1 };
/** Limits so high they never bind, given as flags so there is nothing to learn. */
const unbounded = { rpm: 1e9, tpm: 1e12 };
const small = { promptTokens: 10, completionTokens: 0 };

function harness(options: Partial<RequestGateOptions> = {}) {
  const clock = fakeClock(0);
  const waits: GateWait[] = [];
  const changes: GateState[] = [];
  const gate = new RequestGate({
    maxConcurrency: 100,
    now: clock.now,
    sleep: clock.sleep,
    epochNow: () => 0,
    margins: exact,
    onWait: (wait) => waits.push(wait),
    onChange: (state) => changes.push(state),
    ...options,
  });
  const granted: Array<{ at: number; ticket: GateTicket; id: number }> = [];
  let ids = 0;
  /** Queues a request; its grant is recorded with the time it came. */
  const request = (estimate = small, signal?: AbortSignal) => {
    const id = ids++;
    const ticket = gate.acquire(estimate, signal).then((t) => {
      granted.push({ at: clock.now(), ticket: t, id });
      return t;
    });
    return ticket;
  };
  return { clock, gate, waits, changes, granted, request, times: () => granted.map((g) => g.at) };
}

const headers = (values: Record<string, string>) => new Headers(values);

describe('RequestGate: the rate budget', () => {
  it('sends one second of --rpm at once, then one request per 1/rate, charged before sending', async () => {
    const h = harness({ rpm: 600, tpm: 1e12 });
    for (let i = 0; i < 14; i++) void h.request().then((t) => t.succeeded({}));
    await h.clock.advance(400);
    expect(h.times()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 100, 200, 300, 400]);
    expect(h.waits.every((w) => w.reason === 'requests')).toBe(true);
    // From the 11th request on, dispatch was waiting all the time.
    expect(h.gate.waitedMs()).toBe(400);
  });

  it('paces to --tpm by each request\'s tokens, letting one larger than the slice borrow', async () => {
    const h = harness({ rpm: 1e9, tpm: 6_000 }); // 100 tokens a second
    void h.request({ promptTokens: 60, completionTokens: 20 });
    void h.request({ promptTokens: 60, completionTokens: 20 });
    void h.request({ promptTokens: 230, completionTokens: 20 }); // 250: more than the slice of 100
    void h.request({ promptTokens: 10, completionTokens: 0 });
    await h.clock.advance(10_000);
    // 80 at 0; 80 more needs 60 more → 600 ms; 250 waits for a full bucket (100) → +1 s; 10 waits out the debt of 150 → +1.6 s.
    expect(h.times()).toEqual([0, 600, 1_600, 3_200]);
    expect(h.waits.map((w) => w.reason)).toEqual(['tokens', 'tokens', 'tokens']);
  });

  it('sends the first request alone, then at growing gaps until an answer, then paces to the limits its headers report', async () => {
    const h = harness();
    for (let i = 0; i < 6; i++) void h.request();
    await h.clock.advance(1_100);
    // 250 ms alone; should the answer still not have come, 250, then 500 more, doubling.
    expect(h.times()).toEqual([0, 250, 500, 1_000]);
    expect(h.gate.state()).toMatchObject({ learning: true, rpm: null, tpm: null });

    h.granted[0]!.ticket.succeeded({
      headers: headers({ 'x-ratelimit-limit-requests': '60', 'x-ratelimit-remaining-requests': '30', 'x-ratelimit-reset-requests': '30s' }),
    });
    expect(h.gate.state()).toMatchObject({ learning: false, rpm: 60, tpm: null, source: { rpm: 'server', tpm: null } });
    expect(h.changes.at(-1)).toMatchObject({ learning: false, rpm: 60 });
    await h.clock.advance(3_000);
    // The server said half of one second's share is left: the next fits 500 ms later, then one a second.
    expect(h.times()).toEqual([0, 250, 500, 1_000, 1_600, 2_600]);
  });

  it('lets the rest go as soon as the first answer shows the server sends no limits', async () => {
    const h = harness({ maxConcurrency: 3 });
    for (let i = 0; i < 5; i++) void h.request();
    await h.clock.advance(100);
    expect(h.times()).toEqual([0]);
    h.granted[0]!.ticket.succeeded({ headers: headers({}) });
    await h.clock.settle();
    expect(h.times()).toEqual([0, 100, 100, 100]);
    expect(h.gate.state().learning).toBe(false);
  });

  it('learns nothing from odd headers, and an answer without any still ends the learning', async () => {
    const h = harness({ maxConcurrency: 4 });
    for (let i = 0; i < 5; i++) void h.request();
    await h.clock.settle();
    h.granted[0]!.ticket.succeeded({ headers: headers({ 'x-ratelimit-limit-requests': '-1', 'x-ratelimit-limit-tokens': '0' }) });
    await h.clock.advance(0);
    expect(h.gate.state()).toMatchObject({ learning: false, rpm: null, tpm: null });
    // No limits known: the concurrency is the only bound, so the other four go at once.
    expect(h.times()).toEqual([0, 0, 0, 0, 0]);
  });

  it('keeps a --rpm it was given, yet lowers its bucket when the server says less is left', async () => {
    const h = harness({ rpm: 600, tpm: 1e12 });
    const first = await h.request();
    first.succeeded({ headers: headers({ 'x-ratelimit-limit-requests': '10000', 'x-ratelimit-remaining-requests': '0' }) });
    expect(h.gate.state()).toMatchObject({ rpm: 600, source: { rpm: 'flag' } });
    void h.request();
    await h.clock.advance(99);
    expect(h.granted).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.times()).toEqual([0, 100]);
  });

  it('calibrates its prompt estimate against usage and charges the difference', async () => {
    const h = harness({ rpm: 1e9, tpm: 60_000 });
    const ticket = await h.request({ promptTokens: 100, completionTokens: 50 });
    expect(ticket.tokens).toBe(150);
    ticket.succeeded({ promptTokens: 200 });
    expect(h.gate.charge({ promptTokens: 100, completionTokens: 50 })).toBe(250);
    // 1000 in the bucket, 150 charged, 100 more owed: 750 left, so 800 waits 50 ms.
    void h.request({ promptTokens: 400, completionTokens: 0 }); // charged 800 now
    await h.clock.advance(49);
    expect(h.granted).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.granted).toHaveLength(2);
  });

  it('gives back the tokens of a request the server refused as too large', async () => {
    const h = harness({ rpm: 1e9, tpm: 6_000 });
    const big = await h.request({ promptTokens: 90, completionTokens: 0 });
    big.failed({ kind: 'too_large' });
    void h.request({ promptTokens: 100, completionTokens: 0 });
    await h.clock.settle();
    expect(h.times()).toEqual([0, 0]);
  });
});

describe('RequestGate: one cooldown for everyone', () => {
  it('pauses every request after a 429 until its retry-after has passed, from the moment it came', async () => {
    const h = harness({ ...unbounded, maxConcurrency: 2 });
    for (let i = 0; i < 5; i++) void h.request();
    await h.clock.advance(10);
    expect(h.granted).toHaveLength(2);
    h.granted[0]!.ticket.failed({ kind: 'rate_limited', retryAfterMs: 2_000 });
    await h.clock.advance(10);
    h.granted[1]!.ticket.succeeded({});
    await h.clock.advance(1_989);
    expect(h.granted).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.times()).toEqual([0, 0, 2_010]);
    expect(h.waits).toContainEqual({ reason: 'cooldown', ms: 2_000 });
    expect(h.gate.waitedMs()).toBe(2_000);
  });

  it('waits what the exhausted limit\'s reset implies when there is no retry-after, ignoring a 6m0s token reset with tokens to spare', async () => {
    const h = harness({ ...unbounded });
    const ticket = await h.request();
    ticket.failed({
      kind: 'rate_limited',
      headers: headers({
        'x-ratelimit-limit-requests': '60',
        'x-ratelimit-remaining-requests': '0',
        'x-ratelimit-reset-requests': '1m0s',
        'x-ratelimit-limit-tokens': '150000',
        'x-ratelimit-remaining-tokens': '149000',
        'x-ratelimit-reset-tokens': '6m0s',
      }),
    });
    // "Full in a minute" with 60 missing: one request fits in a second, not in six minutes.
    expect(h.waits).toEqual([{ reason: 'cooldown', ms: 1_000 }]);
    void h.request();
    await h.clock.advance(999);
    expect(h.granted).toHaveLength(1);
    await h.clock.advance(1);
    expect(h.times()).toEqual([0, 1_000]);
  });

  it('pauses 1 s after a 429 with no hint at all, then 2 s while they keep coming', async () => {
    const h = harness({ ...unbounded });
    (await h.request()).failed({ kind: 'rate_limited' });
    const second = h.request();
    await h.clock.advance(1_000);
    (await second).failed({ kind: 'rate_limited' });
    expect(h.waits.map((w) => w.ms)).toEqual([1_000, 2_000]);
  });

  it('never shortens a cooldown already in force', async () => {
    const h = harness({ ...unbounded });
    const [a, b] = await Promise.all([h.request(), h.request()]);
    a.failed({ kind: 'rate_limited', retryAfterMs: 3_000 });
    b.failed({ kind: 'rate_limited', retryAfterMs: 500 });
    void h.request();
    await h.clock.advance(2_999);
    expect(h.granted).toHaveLength(2);
    await h.clock.advance(1);
    expect(h.granted).toHaveLength(3);
  });

  it('halves the rate on slow_down and ramps back to the full limit', async () => {
    const h = harness({ rpm: 600, tpm: 1e12, rampPerMs: 0.1 / 1000 });
    for (let i = 0; i < 10; i++) (await h.request()).succeeded({});
    const eleventh = h.request();
    await h.clock.advance(100);
    (await eleventh).failed({ kind: 'slow_down' });
    expect(h.gate.state().rateScale).toBe(0.5);
    void h.request();
    await h.clock.advance(300);
    // Half the rate: the next request needs 200 ms of refill instead of 100.
    expect(h.times().slice(10)).toEqual([100, 300]);
    await h.clock.advance(5_000);
    expect(h.gate.state().rateScale).toBe(1);
  });
});

describe('RequestGate: adaptive concurrency', () => {
  it('never has more in flight than the limit; a 429 halves it once per window; full-window successes grow it back', async () => {
    const h = harness({ ...unbounded, maxConcurrency: 4 });
    for (let i = 0; i < 12; i++) void h.request();
    await h.clock.settle();
    expect(h.granted).toHaveLength(4);
    h.granted[0]!.ticket.failed({ kind: 'rate_limited', retryAfterMs: 0 });
    h.granted[1]!.ticket.failed({ kind: 'rate_limited', retryAfterMs: 0 }); // same window: no second cut
    await h.clock.settle();
    expect(h.gate.state().concurrency).toBe(2);
    expect(h.granted).toHaveLength(4);
    h.granted[2]!.ticket.succeeded({});
    await h.clock.settle();
    expect(h.granted).toHaveLength(5); // 2 in flight again
    let settled = 3;
    while (h.gate.state().concurrency < 4) {
      h.granted[settled++]!.ticket.succeeded({});
      await h.clock.settle();
      expect(h.granted.length - settled).toBeLessThanOrEqual(h.gate.state().concurrency);
    }
    // The success sent before the cut grows nothing; then about a window of successes per step.
    expect(settled - 3).toBe(8);
    expect(h.changes.map((s) => s.concurrency)).toEqual([2, 3, 4]);
  });

  it('cuts on a timeout too, and a failure that says nothing about load leaves it alone', async () => {
    const h = harness({ ...unbounded, maxConcurrency: 8 });
    const [a, b] = await Promise.all([h.request(), h.request()]);
    b.failed({ kind: 'other' });
    expect(h.gate.state().concurrency).toBe(8);
    a.failed({ kind: 'timeout' });
    expect(h.gate.state().concurrency).toBe(4);
  });

  it('takes a waiting request out of the queue when its signal fires, and serves the next', async () => {
    const h = harness({ ...unbounded, maxConcurrency: 1 });
    const first = await h.request();
    const controller = new AbortController();
    const abandoned = h.request(small, controller.signal);
    void h.request();
    controller.abort(new Error('stop'));
    await expect(abandoned).rejects.toThrow('stop');
    first.succeeded({});
    await h.clock.settle();
    expect(h.granted.map((g) => g.id)).toEqual([0, 2]);
  });
});
