/** Caps how many tasks run at once; waiters are served first come, first served. */
export class Semaphore {
  private active = 0;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Tasks holding a slot now. */
  get inUse(): number {
    return this.active;
  }

  /** Waits for a free slot; the returned function gives it back (calling it twice is harmless). */
  async acquire(): Promise<() => void> {
    if (this.active < this.capacity) {
      this.active++;
    } else {
      // The releaser hands its slot straight to us, so `active` does not change.
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.active--;
    };
  }

  /** Resolves once every slot is free. */
  async drain(): Promise<void> {
    const all: Array<() => void> = [];
    for (let i = 0; i < this.capacity; i++) all.push(await this.acquire());
    for (const release of all) release();
  }
}
