import type { ConveneEvent } from "../../events/catalogue.ts";
import type { EventHandler } from "../../shared/bus/bus-event.ts";
import { newEvent } from "../../shared/domain/new-event.ts";
import { planReminders, reminderInstants } from "../../shared/domain/reminder-plan.ts";
import { reminderScheduleName } from "../../shared/domain/schedule-name.ts";
import type { Ports } from "../../shared/ports/ports.ts";

/**
 * Session scheduled or rescheduled → one wake-up schedule per distinct reminder instant.
 * 1. Read the session; do nothing if the event is for a version that is no longer current.
 * 2. Plan every member's reminders (pure, in the group's time zone).
 * 3. Create one self-deleting schedule per instant; names are deterministic, so redelivery
 *    creates nothing new. Who gets what is worked out again when the schedule fires.
 */
export const createPlanSessionReminders =
  ({ store, scheduler, clock, log }: Pick<Ports, "store" | "scheduler" | "clock" | "log">): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type !== "SessionScheduled" && event.type !== "SessionRescheduled") return;
    const { id: sessionId, version } = event.data.session;
    const session = await store.getSession(event.organisationId, event.groupId, sessionId);
    if (!session || session.version !== version || session.status !== "scheduled") {
      log.info("stale session event ignored", { sessionId, version, current: session?.version });
      return;
    }
    const members = await store.listGroupMembers(event.organisationId, event.groupId);
    const instants = reminderInstants(planReminders({ session, members, now: clock.now() }));
    for (const dueAt of instants) {
      await scheduler.scheduleOnce({
        name: reminderScheduleName({
          organisationId: session.organisationId,
          sessionId,
          sessionVersion: version,
          dueAt,
        }),
        at: new Date(dueAt),
        timeZone: session.timeZone,
        event: newEvent(
          "SessionReminderDue",
          {
            organisationId: session.organisationId,
            groupId: session.groupId,
            correlationId: event.correlationId,
          },
          { sessionId, sessionVersion: version, dueAt },
          clock.now(),
        ),
      });
    }
    log.info("reminders planned", { sessionId, version, schedules: instants.length });
  };
