import type { Clock } from "#ports/clock.ts";

/**
 * The local runtime's clock: real time plus an offset that tests and the local API move
 * forward. The offset is persisted by the runtime so a restart keeps the advanced time.
 */
export class AdjustableClock implements Clock {
  constructor(private offsetMs = 0) {}

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward");
    this.offsetMs += ms;
  }
}
