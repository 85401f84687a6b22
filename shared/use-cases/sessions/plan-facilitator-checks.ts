import { facilitatorCheckPlan } from "#domain/facilitator-checks.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { isFacilitationRole, namedFacilitators } from "#domain/role-duties.ts";
import { rsvpSummaryAt } from "#domain/rsvp-summary.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import { alertIfNoFacilitator, type FacilitatorCheck } from "./alert-no-facilitator.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "settings">;

interface GroupScope {
  organisationId: string;
  groupId: string;
}

/** A session at the version a trigger was raised for. */
export interface SessionVersionRef extends GroupScope {
  sessionId: string;
  version: number;
}

/** The trigger was for a version that is no longer current, or a session no longer scheduled. */
export interface StaleTrigger {
  stale: true;
  current?: number;
}

/** More sessions than a group holds in 7 days: it meets a few times a week at most. */
const sessionsAheadRead = 100;

/** The session if it is still at `version` and scheduled; a stale trigger does nothing. */
const currentSession = async ({ store }: Deps, ref: SessionVersionRef): Promise<Session | StaleTrigger> => {
  const session = await store.getSession(ref.organisationId, ref.groupId, ref.sessionId);
  if (!session || session.version !== ref.version || session.status !== "scheduled")
    return { stale: true, current: session?.version };
  return session;
};

const isStale = (found: Session | StaleTrigger): found is StaleTrigger => "stale" in found;

/**
 * A session was scheduled or rescheduled: the facilitator checks of that version, and the
 * facilitator's RSVP summary a day before, are
 * scheduled (names carry the version, so a reschedule gets fresh ones and a redelivery none
 * more); a check whose instant has passed is made at once instead (facilitatorCheckPlan): a
 * session scheduled or moved to 5 days ahead is alerted now, not 48 hours before.
 */
export const planFacilitatorChecks = async (
  ports: Deps,
  ref: SessionVersionRef,
  correlationId: string,
): Promise<StaleTrigger | { scheduled: number; checkedNow?: FacilitatorCheck }> => {
  const session = await currentSession(ports, ref);
  if (isStale(session)) return session;
  const start = sessionStartInstant(session.startLocal, session.timeZone);
  const plan = facilitatorCheckPlan(start, ports.clock.now());
  for (const { alert, at } of plan.scheduled)
    await ports.scheduler.scheduleOnce({
      name: scheduleName("facilitator-check", session.organisationId, session.id, session.version, alert),
      at,
      timeZone: session.timeZone,
      event: newEvent(
        "FacilitatorCheckDue",
        { organisationId: session.organisationId, groupId: session.groupId, correlationId },
        { sessionId: session.id, sessionVersion: session.version, alert },
        at,
      ),
    });
  // The facilitator's "who is coming" a day before; whether the session asks is read when due.
  const summaryAt = rsvpSummaryAt(start, ports.clock.now());
  if (summaryAt)
    await ports.scheduler.scheduleOnce({
      name: scheduleName("rsvp-summary", session.organisationId, session.id, session.version),
      at: summaryAt,
      timeZone: session.timeZone,
      event: newEvent(
        "RsvpSummaryDue",
        { organisationId: session.organisationId, groupId: session.groupId, correlationId },
        { sessionId: session.id, sessionVersion: session.version },
        summaryAt,
      ),
    });
  return {
    scheduled: plan.scheduled.length + (summaryAt ? 1 : 0),
    ...(plan.checkNow ? { checkedNow: await alertIfNoFacilitator(ports, session) } : {}),
  };
};

/** A facilitator check fell due: nothing unless the session is still at that version and scheduled. */
export const checkFacilitatorWhenDue = async (
  ports: Deps,
  ref: SessionVersionRef,
): Promise<StaleTrigger | FacilitatorCheck> => {
  const session = await currentSession(ports, ref);
  return isStale(session) ? session : alertIfNoFacilitator(ports, session);
};

/**
 * Who facilitates has changed: the group's upcoming sessions that `concerned` picks and whose
 * check would already have fired (within 7 days, not started) are checked now.
 */
const checkSessionsAhead = async (
  ports: Deps,
  { organisationId, groupId }: GroupScope,
  concerned: (session: Session) => boolean,
): Promise<{ upcoming: number; checks: FacilitatorCheck[] }> => {
  const now = ports.clock.now();
  const upcoming = await ports.store.listUpcomingSessions(organisationId, groupId, now, sessionsAheadRead);
  const due = upcoming.filter(
    (session) =>
      session.status === "scheduled" &&
      concerned(session) &&
      facilitatorCheckPlan(sessionStartInstant(session.startLocal, session.timeZone), now).checkNow,
  );
  const checks: FacilitatorCheck[] = [];
  for (const session of due) checks.push(await alertIfNoFacilitator(ports, session));
  return { upcoming: upcoming.length, checks };
};

/** A member left the group: the sessions within 7 days that named them are checked now. */
export const checkSessionsFacilitatedBy = (ports: Deps, scope: GroupScope, memberId: string) =>
  checkSessionsAhead(ports, scope, (session) => namedFacilitators(session).includes(memberId));

/** A facilitation role fell vacant: the group's sessions within 7 days are checked now. */
export const checkSessionsAfterVacancy = async (ports: Deps, scope: GroupScope, roleId: string) => {
  const catalogue = await ports.roles.getCatalogue(scope.organisationId);
  return isFacilitationRole(roleId, catalogue) ? checkSessionsAhead(ports, scope, () => true) : undefined;
};
