import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../src/scheduler/semaphore.js';

describe('Semaphore', () => {
  it('never lets more than its capacity hold a slot, and serves waiters in order', async () => {
    const semaphore = new Semaphore(2);
    const order: number[] = [];
    let peak = 0;
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await semaphore.acquire();
        peak = Math.max(peak, semaphore.inUse);
        order.push(i);
        await new Promise((r) => setImmediate(r));
        release();
      }),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(semaphore.inUse).toBe(0);
  });

  it('ignores a second release of the same slot', async () => {
    const semaphore = new Semaphore(1);
    const release = await semaphore.acquire();
    release();
    release();
    expect(semaphore.inUse).toBe(0);
    const again = await semaphore.acquire();
    expect(semaphore.inUse).toBe(1);
    again();
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});
