import { ConflictException, CreateScheduleCommand, type SchedulerClient } from "@aws-sdk/client-scheduler";
import { tzOffset } from "@date-fns/tz/tzOffset";
import { eventSource } from "#events/envelope.ts";
import { isIntlTimeZone } from "#domain/local-time.ts";
import type { OneTimeSchedule, Scheduler } from "#ports/scheduler.ts";

export interface EventBridgeSchedulerOptions {
  /** The schedule group every reminder schedule is created in. */
  groupName: string;
  /** The custom event bus that schedules put their event on. */
  eventBusArn: string;
  /** The execution role Scheduler assumes; it may only put events on the bus. */
  roleArn: string;
  /** Where Scheduler leaves an event it could not put on the bus after its retries. */
  deadLetterQueueArn?: string;
}

/** How Scheduler is told when to fire: an `at()` expression and the zone it is written in. */
export interface AtExpression {
  expression: string;
  timeZone: string;
}

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** Scheduler's `at()` takes whole seconds; rounding up means a schedule never fires early. */
const wholeSecond = (at: Date): number => Math.ceil(at.getTime() / 1000) * 1000;

const atWallTime = (wallMs: number): string => `at(${new Date(wallMs).toISOString().slice(0, 19)})`;

/**
 * The instants at which the clocks in `zone` read the wall time `wallMs` (a wall time
 * written as if it were UTC): one normally, two in an autumn overlap, none in a spring gap.
 */
const instantsShowing = (zone: string, wallMs: number): number[] => {
  // One transition at most within a day either side, true of every real zone.
  const offsets = new Set([offsetMinutes(zone, wallMs - dayMs), offsetMinutes(zone, wallMs + dayMs)]);
  return [...offsets]
    .map((offset) => wallMs - offset * minuteMs)
    .filter((instantMs) => instantMs + offsetMinutes(zone, instantMs) * minuteMs === wallMs);
};

const offsetMinutes = (zone: string, instantMs: number): number => tzOffset(zone, new Date(instantMs));

/**
 * The `at()` expression for one instant, written in the group's zone so an operator reads the
 * group's own clock time in the console. Scheduler resolves a zoned wall time itself, and
 * for a wall time that happens twice (the autumn hour) or never (the spring gap) its choice
 * is not ours to make, so such a time is written in UTC instead: the schedule then fires at
 * exactly the instant the reminder plan computed, which is the one thing that must not move.
 */
export function atExpression(at: Date, timeZone: string): AtExpression {
  const instantMs = wholeSecond(at);
  if (Number.isNaN(instantMs)) throw new RangeError("a schedule needs a valid instant");
  if (timeZone !== "UTC" && isIntlTimeZone(timeZone)) {
    const wallMs = instantMs + offsetMinutes(timeZone, instantMs) * minuteMs;
    const instants = instantsShowing(timeZone, wallMs);
    if (instants.length === 1 && instants[0] === instantMs)
      return { expression: atWallTime(wallMs), timeZone };
  }
  return { expression: atWallTime(instantMs), timeZone: "UTC" };
}

/**
 * One-time schedules on EventBridge Scheduler: each puts its event on the custom bus (the
 * envelope is the event's detail, `type` its detail-type) and deletes itself once it has
 * run. Names are deterministic, so a retried handler that creates the same schedule again
 * meets a ConflictException, which means the schedule is already there: success.
 */
export class EventBridgeScheduler implements Scheduler {
  constructor(
    private readonly client: SchedulerClient,
    private readonly options: EventBridgeSchedulerOptions,
  ) {}

  async scheduleOnce(schedule: OneTimeSchedule): Promise<void> {
    const when = atExpression(schedule.at, schedule.timeZone);
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: schedule.name,
          GroupName: this.options.groupName,
          ScheduleExpression: when.expression,
          ScheduleExpressionTimezone: when.timeZone,
          FlexibleTimeWindow: { Mode: "OFF" },
          ActionAfterCompletion: "DELETE",
          Target: {
            Arn: this.options.eventBusArn,
            RoleArn: this.options.roleArn,
            EventBridgeParameters: { Source: eventSource, DetailType: schedule.event.type },
            Input: JSON.stringify(schedule.event),
            // Scheduler's own defaults, stated: a day of retries, then the dead-letter queue.
            RetryPolicy: { MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 },
            ...(this.options.deadLetterQueueArn
              ? { DeadLetterConfig: { Arn: this.options.deadLetterQueueArn } }
              : {}),
          },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
    }
  }
}
