import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRunSignals } from '../../src/run/cancellation.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('createRunSignals', () => {
  it('first interrupt: stops dispatching, then abandons requests once the grace period is over', () => {
    vi.useFakeTimers();
    const interrupt = new AbortController();
    const onInterrupt = vi.fn();
    const signals = createRunSignals({ interrupt: interrupt.signal, graceMs: 5_000, onInterrupt });
    interrupt.abort(new Error('SIGINT'));
    expect(onInterrupt).toHaveBeenCalledTimes(1);
    expect(signals.dispatch.aborted).toBe(true);
    expect((signals.dispatch.reason as Error).message).toBe('SIGINT');
    expect(signals.requests.aborted).toBe(false);
    vi.advanceTimersByTime(4_999);
    expect(signals.requests.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect((signals.requests.reason as Error).message).toBe('grace period over');
    signals.dispose();
  });

  it('second interrupt: abandons requests at once', () => {
    const interrupt = new AbortController();
    const abortNow = new AbortController();
    const signals = createRunSignals({ interrupt: interrupt.signal, abortNow: abortNow.signal, graceMs: 60_000 });
    interrupt.abort(new Error('SIGINT'));
    abortNow.abort(new Error('SIGINT again'));
    expect((signals.requests.reason as Error).message).toBe('SIGINT again');
    expect((signals.dispatch.reason as Error).message).toBe('SIGINT');
    signals.dispose();
  });

  it('a fatal stop abandons requests and stops dispatching, with its reason', () => {
    const signals = createRunSignals({ graceMs: 5_000 });
    const fatal = new Error('bad key');
    signals.abandonRequests(fatal);
    expect(signals.requests.reason).toBe(fatal);
    expect(signals.dispatch.reason).toBe(fatal);
    signals.dispose();
  });

  it('stopping dispatch (a spent budget) leaves the requests in flight', () => {
    const signals = createRunSignals({ graceMs: 5_000 });
    signals.stopDispatching(new Error('over budget'));
    expect(signals.dispatch.aborted).toBe(true);
    expect(signals.requests.aborted).toBe(false);
    signals.dispose();
  });

  it('honours interrupts that fired before the run began', () => {
    const interrupt = AbortSignal.abort(new Error('early'));
    const abortNow = AbortSignal.abort(new Error('early, twice'));
    const signals = createRunSignals({ interrupt, abortNow, graceMs: 5_000 });
    expect((signals.requests.reason as Error).message).toBe('early, twice');
    expect(signals.dispatch.aborted).toBe(true);
    signals.dispose();
  });

  it('after dispose, the process-wide interrupt signals no longer reach the run', () => {
    const interrupt = new AbortController();
    const abortNow = new AbortController();
    const onInterrupt = vi.fn();
    const signals = createRunSignals({ interrupt: interrupt.signal, abortNow: abortNow.signal, graceMs: 5_000, onInterrupt });
    signals.dispose();
    interrupt.abort();
    abortNow.abort();
    expect(onInterrupt).not.toHaveBeenCalled();
    expect(signals.requests.aborted).toBe(false);
    expect(signals.dispatch.aborted).toBe(false);
  });
});
