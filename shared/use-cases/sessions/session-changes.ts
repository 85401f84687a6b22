import { DomainError, invalid, notFound } from "#domain/errors.ts";
import { newId } from "#domain/ids.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { newEvent } from "#domain/new-event.ts";
import { withDutiesFromRoles } from "#domain/role-duties.ts";
import { maxHeadcount, type Duty, type Session, type SessionLogistics, type Venue } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Ports } from "#ports/ports.ts";

export interface SessionDetails {
  title: string;
  startLocal: string;
  durationMinutes: number;
  venue?: Venue;
  onlineUrl?: string;
  facilitatorMemberId?: string;
  duties: Duty[];
}

type Deps = Pick<Ports, "store" | "clock">;
/** Scheduling also reads the group's roles, whose holders the duties default to. */
type ScheduleDeps = Pick<Ports, "store" | "roles" | "clock">;

/** What events say about a session (SessionScheduled, SessionRescheduled, SessionCancelled). */
export const sessionSnapshot = (s: SessionLogistics & Pick<Session, "id" | "version">) => ({
  id: s.id,
  version: s.version,
  title: s.title,
  startLocal: s.startLocal,
  timeZone: s.timeZone,
  durationMinutes: s.durationMinutes,
  venue: s.venue,
  onlineUrl: s.onlineUrl,
  facilitatorMemberId: s.facilitatorMemberId,
  duties: s.duties,
});

const requireFuture = (startLocal: string, timeZone: string, now: Date): void => {
  if (sessionStartInstant(startLocal, timeZone) <= now)
    throw invalid("startLocal", "the session must start in the future");
};

/** Holders named for a session must be members of its group. */
const requireGroupMembers = (members: ReadonlySet<string>, details: SessionDetails): void => {
  const named = [
    ["facilitatorMemberId", details.facilitatorMemberId],
    ...details.duties.map((d, i) => [`duties.${i}.holderMemberId`, d.holderMemberId] as const),
  ].filter((x): x is [string, string] => typeof x[1] === "string");
  for (const [field, id] of named)
    if (!members.has(id)) throw invalid(field, "must be a member of the group");
};

/**
 * Schedules a session of a group.
 * 1. The group exists; the start, read in the group's zone, is in the future.
 * 2. The facilitator and duty holders named are members of the group.
 * 3. Every duty not given explicitly defaults to the holder of the group's role for it
 *    (withDutiesFromRoles: the first holder who is a member; facilitation also names the
 *    session's facilitator), so duty holders get their duty in their reminders.
 * 4. The session and SessionScheduled are written in one transaction.
 */
export const scheduleSession = async (
  deps: ScheduleDeps,
  o: string,
  g: string,
  details: SessionDetails,
): Promise<Session> => {
  const group = await deps.store.getGroup(o, g);
  if (!group) throw notFound("group");
  const now = deps.clock.now();
  requireFuture(details.startLocal, group.timeZone, now);
  const [members, roles, catalogue] = await Promise.all([
    deps.store.listGroupMembers(o, g),
    deps.roles.listGroupRoles(o, g),
    deps.roles.getCatalogue(o),
  ]);
  const memberIds = new Set(members.map((m) => m.id));
  requireGroupMembers(memberIds, details);
  const session: Session = {
    ...details,
    ...withDutiesFromRoles(details, roles, catalogue, memberIds),
    organisationId: o,
    groupId: g,
    id: newId(),
    version: 1,
    timeZone: group.timeZone,
    status: "scheduled",
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.store.scheduleSession(
    session,
    newEvent(
      "SessionScheduled",
      { organisationId: o, groupId: g },
      { session: sessionSnapshot(session) },
      now,
    ),
  );
  return session;
};

export const currentSession = async ({ store }: Deps, o: string, g: string, id: string): Promise<Session> => {
  const session = await store.getSession(o, g, id);
  if (!session) throw notFound("session");
  if (session.status === "cancelled") throw invalid("sessionId", "the session is cancelled");
  return session;
};

/** A session whose attendance is recorded was held: it can no longer move or be called off. */
const requireNotHeld = (session: Session): void => {
  if (session.attendance)
    throw invalid("sessionId", "the session was held (its attendance is recorded); it can no longer change");
};

/**
 * Moves a session to a new local start (and optionally duration). The version rises, so
 * reminders planned for the old time find themselves stale and send nothing.
 */
export const rescheduleSession = async (
  deps: Deps,
  o: string,
  g: string,
  id: string,
  change: { startLocal: string; durationMinutes?: number },
): Promise<Session> => {
  const before = await currentSession(deps, o, g, id);
  requireNotHeld(before);
  const now = deps.clock.now();
  requireFuture(change.startLocal, before.timeZone, now);
  const changes = {
    startLocal: change.startLocal,
    durationMinutes: change.durationMinutes ?? before.durationMinutes,
  };
  return writeNextVersion(deps, before, changes, now, (after) =>
    newEvent(
      "SessionRescheduled",
      { organisationId: o, groupId: g },
      { session: sessionSnapshot(after), previousStartLocal: before.startLocal },
      now,
    ),
  );
};

/**
 * Cancels a session; members are told, and no reminder for it is sent afterwards. `cause`
 * says when it is not a coordinator's own decision (its series ended).
 */
export const cancelSession = async (
  deps: Deps,
  o: string,
  g: string,
  id: string,
  reason?: string,
  cause?: "series-ended",
): Promise<Session> => {
  const before = await currentSession(deps, o, g, id);
  requireNotHeld(before);
  const now = deps.clock.now();
  return writeNextVersion(deps, before, { status: "cancelled" }, now, (after) =>
    newEvent(
      "SessionCancelled",
      { organisationId: o, groupId: g },
      { session: sessionSnapshot(after), reason, ...(cause ? { cause } : {}) },
      now,
    ),
  );
};

/**
 * Records how many came to a session, or corrects the count.
 * 1. The session exists, is not cancelled, and has started (in the group's zone).
 * 2. The headcount is a whole number from 0 to maxHeadcount.
 * 3. The session (version + 1, so two coordinators correcting at once cannot both win) and
 *    SessionAttendanceRecorded, carrying the count it replaces, are written in one transaction.
 *    The same count again changes nothing and emits nothing, also when the same request is
 *    sent several times at once: a request that loses the race to an identical one answers
 *    with the session that one wrote.
 */
export const recordAttendance = async (
  deps: Deps,
  o: string,
  g: string,
  id: string,
  headcount: number,
): Promise<Session> => {
  if (!Number.isInteger(headcount) || headcount < 0 || headcount > maxHeadcount)
    throw invalid("headcount", `must be a whole number from 0 to ${maxHeadcount}`);
  for (let attempt = 1; ; attempt++) {
    const read = await currentSession(deps, o, g, id);
    try {
      return await writeAttendance(deps, read, headcount);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === "conflict") || attempt === conflictAttempts)
        throw error;
      const stored = await deps.store.getSession(o, g, id);
      if (stored?.attendance?.headcount === headcount) return stored;
      // Another count won: a real conflict. The same version means the other write is still
      // under way (or failed): read again once it has settled.
      if (!stored || stored.version !== read.version) throw error;
      await new Promise((settled) => setTimeout(settled, 20 * attempt));
    }
  }
};

/** Identical attendance requests that raced: how often one reads again before answering 409. */
const conflictAttempts = 4;

const writeAttendance = async (deps: Deps, before: Session, headcount: number): Promise<Session> => {
  const { organisationId: o, groupId: g, id } = before;
  const now = deps.clock.now();
  if (sessionStartInstant(before.startLocal, before.timeZone) > now)
    throw invalid("sessionId", "the session has not started yet; record its attendance once it has");
  if (before.attendance?.headcount === headcount) return before;
  const attendance = { headcount, recordedAt: now.toISOString() };
  return writeNextVersion(deps, before, { attendance }, now, (after) =>
    newEvent(
      "SessionAttendanceRecorded",
      { organisationId: o, groupId: g },
      {
        sessionId: id,
        sessionVersion: after.version,
        startLocal: after.startLocal,
        headcount,
        previousHeadcount: before.attendance?.headcount,
      },
      now,
    ),
  );
};

/**
 * Writes a session's next version with the event that says what changed, in one transaction;
 * the store refuses it (a conflict) when another change wrote that version first.
 */
const writeNextVersion = async (
  deps: Deps,
  before: Session,
  changes: Partial<Session>,
  now: Date,
  event: (after: Session) => ConveneEvent,
): Promise<Session> => {
  // A note of what a series edit changed belongs to that version: a later change drops it.
  const { changeNote: _note, ...kept } = before;
  const after: Session = { ...kept, ...changes, version: before.version + 1, updatedAt: now.toISOString() };
  await deps.store.replaceSession(after, before.version, event(after));
  return after;
};
