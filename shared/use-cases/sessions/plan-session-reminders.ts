import type { Member } from "#domain/member.ts";
import { newEvent } from "#domain/new-event.ts";
import { planReminders, reminderInstants } from "#domain/reminder-plan.ts";
import { reminderScheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "scheduler" | "clock">;

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

export type SessionRemindersPlanned =
  { planned: false; current?: number } | { planned: true; schedules: number };

/**
 * A session was scheduled or rescheduled: its reminders are planned for every member of the
 * group. An event for a version that is no longer current (or a cancelled session) plans nothing.
 */
export const planSessionReminders = async (
  deps: Deps,
  ref: { organisationId: string; groupId: string; sessionId: string; version: number },
  correlationId: string,
): Promise<SessionRemindersPlanned> => {
  const session = await deps.store.getSession(ref.organisationId, ref.groupId, ref.sessionId);
  if (!session || session.version !== ref.version || session.status !== "scheduled")
    return { planned: false, current: session?.version };
  const members = await deps.store.listGroupMembers(ref.organisationId, ref.groupId);
  return { planned: true, schedules: await scheduleWakeUps(deps, session, members, correlationId) };
};

/**
 * A member joined a group, or changed their reminder preferences: their reminders are planned
 * across the group's upcoming sessions. Undefined when the member is gone.
 */
export const planMemberReminders = async (
  deps: Deps,
  ref: { organisationId: string; groupId: string; memberId: string },
  correlationId: string,
): Promise<{ sessions: number; schedules: number } | undefined> => {
  const [member, sessions] = await Promise.all([
    deps.store.getMember(ref.organisationId, ref.memberId),
    deps.store.listUpcomingSessions(ref.organisationId, ref.groupId, deps.clock.now(), upcomingHorizon),
  ]);
  if (!member) return undefined;
  let schedules = 0;
  for (const session of sessions) schedules += await scheduleWakeUps(deps, session, [member], correlationId);
  return { sessions: sessions.length, schedules };
};
