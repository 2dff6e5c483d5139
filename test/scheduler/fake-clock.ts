/** A clock and `sleep` the test moves by hand, for the scheduler's time arithmetic. */
export function fakeClock(start = 1_000) {
  let current = start;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    now: () => current,
    /** Resolves once the clock reaches now + ms; rejects with the signal's reason if it fires first. */
    sleep(ms: number, signal?: AbortSignal): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        const timer = { at: current + ms, resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            timers.splice(timers.indexOf(timer), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    /** Moves time forward, firing each timer at its own moment and letting its work run. */
    async advance(ms: number): Promise<void> {
      const target = current + ms;
      await settle();
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > target) break;
        timers.shift();
        current = Math.max(current, next.at);
        next.resolve();
        await settle();
      }
      current = target;
      await settle();
    },
    /** Timers not yet fired. */
    pending: () => timers.length,
    settle,
  };
}
