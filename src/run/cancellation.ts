/** The signals a run watches, derived from the user's interrupts and the run's own fatal stop. */
export interface RunSignals {
  /** Fires when no new row may start: an interrupt, or the run is stopping. */
  dispatch: AbortSignal;
  /** Fires when requests in flight must be abandoned: a fatal answer, a second interrupt, or the grace period ran out. */
  requests: AbortSignal;
  /** Stops the run because of a fatal API answer. */
  stop(reason: unknown): void;
  /** Stops starting rows but lets requests in flight finish (a spent budget). */
  halt(reason: unknown): void;
  /** Removes the timers and listeners. */
  dispose(): void;
}

/**
 * Two-stage cancellation. The first interrupt stops dispatching and gives the requests in flight
 * `graceMs` to finish (their records are written); a second interrupt, or the end of the grace
 * period, aborts them. Either way the run still closes its files and writes its summary.
 */
export function createRunSignals(options: {
  interrupt?: AbortSignal;
  abortNow?: AbortSignal;
  graceMs: number;
  onInterrupt?: () => void;
}): RunSignals {
  const fatal = new AbortController();
  const grace = new AbortController();
  const halted = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const requestSources = [fatal.signal, grace.signal, ...(options.abortNow ? [options.abortNow] : [])];
  const requests = AbortSignal.any(requestSources);
  const dispatch = AbortSignal.any([requests, halted.signal, ...(options.interrupt ? [options.interrupt] : [])]);
  const onInterrupt = () => {
    options.onInterrupt?.();
    timer = setTimeout(() => grace.abort(new Error('grace period over')), options.graceMs);
    timer.unref();
  };
  if (options.interrupt?.aborted) onInterrupt();
  else options.interrupt?.addEventListener('abort', onInterrupt, { once: true });
  return {
    dispatch,
    requests,
    stop: (reason) => fatal.abort(reason),
    halt: (reason) => halted.abort(reason),
    dispose() {
      if (timer) clearTimeout(timer);
      options.interrupt?.removeEventListener('abort', onInterrupt);
    },
  };
}
