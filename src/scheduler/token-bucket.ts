/**
 * One per-minute limit (requests or tokens) as a bucket that refills continuously. OpenAI enforces
 * a limit of N per minute in short slices, not per minute: a burst larger than one second's share
 * is refused even when the minute's total would allow it. So the bucket holds at most about one
 * second's share, and a request is charged when it is sent, before the server could refuse it.
 */

/** How far below the server's figures the bucket plans, so arrival jitter never tips it over. */
export interface BucketMargins {
  /** Share of the limit's refill rate the bucket grants (0..1]. */
  rate: number;
  /** Share of one second's allowance the bucket may hold (0..1]. */
  capacity: number;
}

/**
 * 1% under the rate and 10% under the slice. The slice margin leaves the server a little in hand
 * from the first burst on; the rate margin lets that grow. Both cost about 1% of the run's time.
 */
export const DEFAULT_MARGINS: BucketMargins = { rate: 0.99, capacity: 0.9 };

const sliceMs = 1_000;
const floatSlack = 1e-9;

/** A continuously refilled budget; every method takes the current time so tests can drive it. */
export class TokenBucket {
  private limit = 0;
  private refillPerMs = 0;
  private capacityValue = 0;
  private level = 0;
  private lastAt: number;
  /** Multiplies the refill rate; below 1 while the server asks us to slow down. */
  private scale = 1;

  constructor(
    limitPerMinute: number,
    at: number,
    private readonly minCapacity: number,
    private readonly margins: BucketMargins = DEFAULT_MARGINS,
  ) {
    this.lastAt = at;
    this.setLimit(limitPerMinute, at);
    this.level = this.capacityValue;
  }

  /** The per-minute limit the bucket plans for. */
  get limitPerMinute(): number {
    return this.limit;
  }

  /** Most the bucket holds. */
  get capacity(): number {
    return this.capacityValue;
  }

  /** Changes the limit; the bucket keeps how full it was, as a share. */
  setLimit(limitPerMinute: number, at: number): void {
    this.refill(at);
    const share = this.capacityValue > 0 ? this.level / this.capacityValue : 1;
    this.limit = limitPerMinute;
    this.refillPerMs = (limitPerMinute / 60_000) * this.margins.rate;
    this.capacityValue = Math.max(this.minCapacity, (limitPerMinute * sliceMs * this.margins.capacity) / 60_000);
    this.level = share * this.capacityValue;
  }

  /** Sets the refill multiplier from now on (what accrued so far keeps the old one). */
  setRateScale(scale: number, at: number): void {
    this.refill(at);
    this.scale = scale;
  }

  /** How full the bucket is as of `at`, in units of the limit (may be negative while in debt). */
  levelAt(at: number): number {
    this.refill(at);
    return this.level;
  }

  /**
   * Ms until `charge` may be sent: the bucket must hold min(charge, capacity), so a request larger
   * than the slice borrows from what refills next, as the server lets it.
   */
  waitMs(charge: number, at: number): number {
    this.refill(at);
    const missing = Math.min(charge, this.capacityValue) - this.level;
    return missing <= floatSlack ? 0 : missing / (this.refillPerMs * this.scale);
  }

  /** Takes `charge` (the level may go negative: later requests wait out the debt). */
  take(charge: number, at: number): void {
    this.refill(at);
    this.level -= charge;
  }

  /** Gives back (or, when negative, takes more of) what an estimate got wrong; never past full. */
  adjust(credit: number, at: number): void {
    this.refill(at);
    this.level = Math.min(this.capacityValue, this.level + credit);
  }

  /**
   * Lowers the level to `share` of full when the server reports less left than we think. Never
   * raises it: a server's figure is a moment old and misses requests still on their way to it.
   */
  capAtShare(share: number, at: number): void {
    this.refill(at);
    this.level = Math.min(this.level, share * this.capacityValue);
  }

  private refill(at: number): void {
    const elapsed = at - this.lastAt;
    if (elapsed <= 0) return;
    this.level = Math.min(this.capacityValue, this.level + elapsed * this.refillPerMs * this.scale);
    this.lastAt = at;
  }
}
