import type { LocalRuntime } from "./composition-root.ts";

/** How often the background pump looks for deliveries left pending (a journal write failed). */
const resumeEveryMs = 5_000;

/**
 * Drives the local runtime: fires due schedules and moves stream records onto the bus.
 * One pump at a time (a background tick and an API-triggered settle never poll the stream
 * together). `settle` returns only when nothing it caused is still under way. The first pump
 * after start resumes what a process that died left in flight: the bus's pending deliveries
 * (schedules and the stream's unread records resume by themselves).
 */
export class LocalEngine {
  private chain: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private resumedAt = 0;

  constructor(
    private readonly runtime: LocalRuntime,
    private readonly onClockMoved: (offsetMs: number) => Promise<void> = async () => {},
  ) {}

  /** Fires every schedule due by the local clock, then the recurring jobs due; returns how many. */
  private async fireDue(): Promise<number> {
    const { scheduler, clock, publish } = this.runtime;
    let fired = 0;
    for (;;) {
      const due = await scheduler.due(clock.now());
      if (due.length === 0) return fired + (await this.runDueJobs());
      // A schedule is deleted only once the bus holds its event durably: a process that dies
      // in between fires it again on restart (at least once, as Scheduler), which the
      // handlers' delivery claims absorb.
      await publish(due.map((schedule) => schedule.event));
      // All at once: the scheduler writes its deletes 25 a request.
      await Promise.all(due.map((schedule) => scheduler.delete(schedule.name)));
      fired += due.length;
    }
  }

  /**
   * Runs each recurring job (functions/recurring-jobs.ts) whose time the local clock has
   * passed, as its schedule invokes it on AWS; a failed run is logged and tried again later.
   */
  private async runDueJobs(): Promise<number> {
    const { recurring, jobs, clock, ports } = this.runtime;
    const due = await recurring.due(clock.now());
    for (const job of due) {
      let succeeded = true;
      try {
        const run = jobs[job.name];
        if (!run)
          throw new Error(`no handler for the recurring job ${job.name} in functions/event-handlers.ts`);
        await run();
      } catch (error) {
        succeeded = false;
        ports.log.error("recurring job failed", {
          job: job.name,
          error: error instanceof Error ? error.name : "unknown",
        });
      }
      await recurring.ran(job, clock.now(), succeeded);
    }
    return due.length;
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Starts the bus's pending deliveries that are not under way; at most every few seconds unless forced. */
  private async resume(force = false): Promise<void> {
    if (!force && Date.now() - this.resumedAt < resumeEveryMs) return;
    this.resumedAt = Date.now();
    await this.runtime.bus.resume();
  }

  /** One pass: pending deliveries resumed (now and then), due schedules fired, the stream read once. */
  pumpOnce(): Promise<number> {
    return this.serial(async () => {
      await this.resume();
      return (await this.fireDue()) + (await this.runtime.poller.pollOnce());
    });
  }

  /** Pumps until a whole pass finds nothing to do and every handler has finished. */
  settle(): Promise<void> {
    return this.serial(async () => {
      await this.resume(this.resumedAt === 0);
      for (;;) {
        const before = this.runtime.bus.publishedCount;
        await this.fireDue();
        await this.runtime.poller.drain();
        await this.runtime.bus.idle();
        await this.runtime.poller.drain();
        // A handler of this last pass may have scheduled something already due (a replayed
        // planner re-creating a past trigger): that is still work, not quiet.
        if (this.runtime.bus.publishedCount === before && (await this.fireDue()) === 0) return;
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
