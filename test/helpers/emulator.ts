import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/emulator/index.js';

/**
 * One emulator for the calling test file (or describe block): started before its tests, closed
 * after, and with faults cleared and stats reset before each test. Returns a handle that stays
 * valid across the hooks, so tests write `emulator.url` as if they held the emulator itself.
 */
export function useEmulator(options: EmulatorOptions = {}): Emulator {
  let current: Emulator | undefined;
  const live = (): Emulator => {
    if (!current) throw new Error('the emulator is used outside of its tests');
    return current;
  };
  beforeAll(async () => {
    current = await startEmulator(options);
  });
  afterAll(async () => {
    await current?.close();
  });
  beforeEach(() => {
    live().setFaults([]);
    live().resetStats();
  });
  return {
    get url() {
      return live().url;
    },
    get port() {
      return live().port;
    },
    stats: () => live().stats(),
    setFaults: (rules) => live().setFaults(rules),
    resetStats: () => live().resetStats(),
    batchStats: () => live().batchStats(),
    close: () => live().close(),
  };
}
