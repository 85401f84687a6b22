import type { ConveneEvent } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { planReminders, reminderInstants } from "#domain/reminder-plan.ts";
import { reminderScheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "scheduler" | "clock" | "log">;

/** How many upcoming sessions of a group a joining member is planned into. */
const upcomingHorizon = 50;

/**
 * One self-deleting wake-up schedule per distinct reminder instant of a session. Names are
 * deterministic, so planning again (redelivery, another member) creates nothing twice. Who
 * gets what is worked out again when a schedule fires.
 */
const scheduleWakeUps = async (
  { scheduler, clock }: Deps,
  session: Session,
  members: readonly Member[],
  correlationId: string,
) => {
  const instants = reminderInstants(planReminders({ session, members, now: clock.now() }));
  for (const dueAt of instants) {
    await scheduler.scheduleOnce({
      name: reminderScheduleName({
        organisationId: session.organisationId,
        sessionId: session.id,
        sessionVersion: session.version,
        dueAt,
      }),
      at: new Date(dueAt),
      timeZone: session.timeZone,
      event: newEvent(
        "SessionReminderDue",
        { organisationId: session.organisationId, groupId: session.groupId, correlationId },
        { sessionId: session.id, sessionVersion: session.version, dueAt },
        new Date(dueAt),
      ),
    });
  }
  return instants.length;
};

/**
 * Plans reminders.
 * - Session scheduled or rescheduled: for every member of the group. An event for a version
 *   that is no longer current plans nothing.
 * - Member joined a group, or changed their reminder preferences: for that member, across
 *   the group's upcoming sessions.
 */
export const createPlanSessionReminders =
  (deps: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    const { store, log } = deps;
    if (event.type === "SessionScheduled" || event.type === "SessionRescheduled") {
      const { id: sessionId, version } = event.data.session;
      const session = await store.getSession(event.organisationId, event.groupId, sessionId);
      if (!session || session.version !== version || session.status !== "scheduled") {
        log.info("stale session event ignored", { sessionId, version, current: session?.version });
        return;
      }
      const members = await store.listGroupMembers(event.organisationId, event.groupId);
      const schedules = await scheduleWakeUps(deps, session, members, event.correlationId);
      log.info("reminders planned", { sessionId, version, schedules });
      return;
    }
    if (event.type === "MemberJoinedGroup" || event.type === "MemberRemindersChanged") {
      const { memberId } = event.data;
      const [member, sessions] = await Promise.all([
        store.getMember(event.organisationId, memberId),
        store.listUpcomingSessions(event.organisationId, event.groupId, deps.clock.now(), upcomingHorizon),
      ]);
      if (!member) return;
      let schedules = 0;
      for (const session of sessions)
        schedules += await scheduleWakeUps(deps, session, [member], event.correlationId);
      log.info("member's reminders planned", { sessions: sessions.length, schedules });
    }
  };
