import pMap from "p-map";
import type { LocalRuntime } from "./composition-root.ts";

/** Deletes of fired schedules in flight at once. */
const deleteConcurrency = 16;

/**
 * Drives the local runtime: fires due schedules and moves stream records onto the bus.
 * One pump at a time (a background tick and an API-triggered settle never poll the stream
 * together). `settle` returns only when nothing it caused is still under way.
 */
export class LocalEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly onClockMoved: (offsetMs: number) => Promise<void> = async () => {},
  ) {}

  /** Fires every schedule due by the local clock; returns how many. */
  private async fireDue(): Promise<number> {
    const { scheduler, clock, publish } = this.runtime;
    let fired = 0;
    for (;;) {
      const due = await scheduler.due(clock.now());
      if (due.length === 0) return fired;
      // The whole page is published before any of it is deleted: a delete that fails leaves
      // its schedule to fire again (at least once), which the handlers' delivery claims absorb.
      for (const schedule of due) publish(schedule.event);
      await pMap(due, (schedule) => scheduler.delete(schedule.name), { concurrency: deleteConcurrency });
      fired += due.length;
    }
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** One pass: due schedules fired, the stream read once. */
  pumpOnce(): Promise<number> {
    return this.serial(async () => (await this.fireDue()) + (await this.runtime.poller.pollOnce()));
  }

  /** Pumps until a whole pass finds nothing to do and every handler has finished. */
  settle(): Promise<void> {
    return this.serial(async () => {
      for (;;) {
        const before = this.runtime.bus.publishedCount;
        await this.fireDue();
        await this.runtime.poller.drain();
        await this.runtime.bus.idle();
        await this.runtime.poller.drain();
        if (this.runtime.bus.publishedCount === before) return;
      }
    });
  }

  /**
   * Settles what is pending at the current time (a session scheduled a moment ago is planned
   * before its reminders fall behind the clock), moves the local clock forward, then settles.
   */
  async advance(ms: number): Promise<void> {
    await this.settle();
    this.runtime.clock.advance(ms);
    await this.onClockMoved(this.runtime.clock.offset);
    await this.settle();
  }

  /** Keeps things moving in real time, as the cloud would. */
  start(intervalMs = 200): void {
    const tick = () => {
      this.pumpOnce()
        .catch((error: unknown) =>
          this.runtime.ports.log.error("local pump failed", {
            error: error instanceof Error ? error.name : "unknown",
          }),
        )
        .finally(() => {
          if (this.timer) this.timer = setTimeout(tick, intervalMs);
        });
    };
    this.timer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.serial(async () => this.runtime.bus.idle());
  }
}
