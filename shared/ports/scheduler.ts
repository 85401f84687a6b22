import type { ConveneEvent } from "#events/catalogue.ts";

export interface OneTimeSchedule {
  /** Deterministic, so creating the same schedule twice is harmless. */
  name: string;
  at: Date;
  /** The group's IANA zone; on AWS the `at()` expression is written in it. */
  timeZone: string;
  /** Put on the bus when the schedule fires. */
  event: ConveneEvent;
}

/**
 * One-time schedules that put an event on the bus and then delete themselves:
 * EventBridge Scheduler on AWS, schedules persisted in the table locally.
 */
export interface Scheduler {
  /** Creates the schedule unless one with that name exists already. */
  scheduleOnce(schedule: OneTimeSchedule): Promise<void>;
}
