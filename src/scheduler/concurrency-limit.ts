/**
 * How many requests may be in flight, adapted between 1 and a maximum by AIMD, as TCP adapts its
 * window: halve on a sign of overload (a 429, a timeout, a 503), then grow by about one for each
 * full window of successes. Halving once per window, not once per failure, keeps a burst of
 * failures from the same moment from collapsing the limit to 1.
 */
export class ConcurrencyLimit {
  private limit: number;
  /** Bumped on each cut, so a failure of a request sent before the cut does not cut again. */
  private epochValue = 0;

  constructor(readonly max: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`max must be a positive integer, got ${max}`);
    // Start at the ceiling: the rate budget, not a slow start, keeps the first burst in bounds.
    this.limit = max;
  }

  /** Requests that may be in flight now. */
  get current(): number {
    return Math.max(1, Math.floor(this.limit));
  }

  /** Identifies the window a request was sent in; pass it back to `decrease`. */
  get epoch(): number {
    return this.epochValue;
  }

  /**
   * A request sent while the window was full succeeded: grow by 1/limit (≈ +1 per window). A
   * success of a request sent before the last cut says nothing about the new window: no growth.
   */
  increase(sentInEpoch: number = this.epochValue): boolean {
    if (sentInEpoch !== this.epochValue) return false;
    const before = this.current;
    this.limit = Math.min(this.max, this.limit + 1 / this.limit);
    return this.current !== before;
  }

  /** Halves the limit, unless it was already cut after the failed request was sent. */
  decrease(sentInEpoch: number, factor = 0.5): boolean {
    if (sentInEpoch !== this.epochValue) return false;
    const before = this.current;
    this.limit = Math.max(1, this.limit * factor);
    this.epochValue++;
    return this.current !== before;
  }
}
