/** The signals a run watches, derived from the user's interrupts and the run's own fatal stop. */
export interface RunSignals {
  /** Fires when no new row may start: an interrupt, or the run is stopping. */
  dispatch: AbortSignal;
  /** Fires when requests in flight must be abandoned: a fatal answer, a second interrupt, or the grace period ran out. */
  requests: AbortSignal;
  /** A fatal API answer, or a results file that cannot be written: abandon the requests in flight, start no row. */
  abandonRequests(reason: unknown): void;
  /** A spent budget: start no row, but let the requests in flight finish. */
  stopDispatching(reason: unknown): void;
  /** Removes the timers and listeners. */
  dispose(): void;
}

/**
 * Two-stage cancellation. The first interrupt stops dispatching and gives the requests in flight
 * `graceMs` to finish (their records are written); a second interrupt, or the end of the grace
 * period, aborts them. Either way the run still closes its files and writes its summary.
 *
 * `requests` and `dispatch` are plain signals of their own, aborted by listeners, rather than
 * AbortSignal.any() composites: the SDK composes every request's signal with the one it is given,
 * and a composite source would register each of those per-request signals, through weak references
 * and a finalization registry, with every signal beneath it. One plain source keeps that to one.
 */
export function createRunSignals(options: {
  interrupt?: AbortSignal;
  abortNow?: AbortSignal;
  graceMs: number;
  onInterrupt?: () => void;
}): RunSignals {
  const requests = new AbortController();
  const dispatch = new AbortController();
  let timer: NodeJS.Timeout | undefined;

  const stopDispatching = (reason: unknown) => {
    if (!dispatch.signal.aborted) dispatch.abort(reason);
  };
  // Abandoning the requests in flight always stops dispatching too, with the same reason.
  const abandonRequests = (reason: unknown) => {
    if (!requests.signal.aborted) requests.abort(reason);
    stopDispatching(reason);
  };
  const onAbortNow = () => abandonRequests(options.abortNow?.reason);
  const onInterrupt = () => {
    options.onInterrupt?.();
    stopDispatching(options.interrupt?.reason);
    timer = setTimeout(() => abandonRequests(new Error('grace period over')), options.graceMs);
    timer.unref();
  };

  if (options.abortNow?.aborted) onAbortNow();
  else options.abortNow?.addEventListener('abort', onAbortNow, { once: true });
  if (options.interrupt?.aborted) onInterrupt();
  else options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  return {
    dispatch: dispatch.signal,
    requests: requests.signal,
    abandonRequests,
    stopDispatching,
    dispose() {
      if (timer) clearTimeout(timer);
      options.interrupt?.removeEventListener('abort', onInterrupt);
      options.abortNow?.removeEventListener('abort', onAbortNow);
    },
  };
}
