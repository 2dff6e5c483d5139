import type { EmulatorLogEntry, EmulatorStats } from './types.js';

/** Counts requests, in-flight peaks and outcomes, and keeps a bounded log. One per emulator. */
export class StatsRecorder {
  private requests = 0;
  private inFlight = 0;
  private maxInFlight = 0;
  private outcomes: Record<string, number> = {};
  private duringCooldown = 0;
  private log: EmulatorLogEntry[] = [];

  constructor(private readonly logLimit: number) {}

  /** A chat-completion request arrived. */
  received(): void {
    this.requests += 1;
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
  }

  /** A request was answered or its connection closed; call exactly once per `received`. */
  settled(): void {
    this.inFlight -= 1;
  }

  /** Counts an outcome and logs the entry, dropping the oldest past the limit. */
  record(entry: EmulatorLogEntry): void {
    this.outcomes[entry.outcome] = (this.outcomes[entry.outcome] ?? 0) + 1;
    if (entry.duringCooldown) this.duringCooldown += 1;
    if (this.logLimit === 0) return;
    this.log.push(entry);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  /** A copy the caller may keep or change. */
  snapshot(): EmulatorStats {
    return {
      requests: this.requests,
      inFlight: this.inFlight,
      maxInFlight: this.maxInFlight,
      outcomes: { ...this.outcomes },
      duringCooldown: this.duringCooldown,
      log: this.log.map((entry) => ({ ...entry })),
    };
  }

  /** Zeroes the counters; requests still open stay in `inFlight` so it cannot go negative. */
  reset(): void {
    this.requests = 0;
    this.maxInFlight = this.inFlight;
    this.outcomes = {};
    this.duringCooldown = 0;
    this.log = [];
  }
}
