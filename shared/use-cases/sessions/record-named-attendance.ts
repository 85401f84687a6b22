import { conflict, DomainError, invalid } from "#domain/errors.ts";
import { sessionStartInstant } from "#domain/local-time.ts";
import { attendeesProblem, sameAttendees, type NamedAttendance } from "#domain/named-attendance.ts";
import { newEvent } from "#domain/new-event.ts";
import { defaultRsvpPrivacy, namedAttendanceFadesAt } from "#domain/rsvp-privacy.ts";
import type { Session } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import { currentSession } from "./session-changes.ts";

type Deps = Pick<Ports, "store" | "rsvps" | "clock">;

/** Identical requests that raced: how often one reads again before answering 409. */
const raceAttempts = 4;

/**
 * Records who came to a session, in a group that records attendance by name, or corrects it.
 * 1. The group records attendance by name (a headcount group is refused: nothing is named).
 * 2. The session exists, is not cancelled, has started, and is within the group's retention
 *    (older, its names would be gone at once: only a headcount can be recorded).
 * 3. Each id is a member of the group, named once.
 * 4. The names (fading at namedAttendanceFadesAt), the session with the number of names as its
 *    headcount (version + 1) and SessionAttendanceRecorded (the count, never the names) are
 *    written in one transaction. The same names again change nothing, also when the same request
 *    is sent several times at once: one that loses the race to an identical one answers with
 *    the session that one wrote.
 */
export const recordNamedAttendance = async (
  deps: Deps,
  o: string,
  g: string,
  sessionId: string,
  memberIds: readonly string[],
): Promise<Session> => {
  const privacy = (await deps.rsvps.getPrivacy(o, g)) ?? defaultRsvpPrivacy(o, g);
  if (privacy.attendance !== "named")
    throw conflict(
      "this group records attendance as a headcount, naming nobody: record how many came (PUT …/attendance), or choose named attendance in its RSVP privacy first",
    );
  const members = new Set((await deps.store.listGroupMembers(o, g)).map((m) => m.id));
  const problem = attendeesProblem(memberIds, members);
  if (problem) throw invalid(problem.field, problem.message);
  for (let attempt = 1; ; attempt++) {
    const before = await currentSession(deps, o, g, sessionId);
    const now = deps.clock.now();
    const start = sessionStartInstant(before.startLocal, before.timeZone);
    if (start > now)
      throw invalid("sessionId", "the session has not started yet; record its attendance once it has");
    const expiresAt = namedAttendanceFadesAt(start.toISOString(), privacy.retentionMonths);
    if (expiresAt * 1000 <= now.getTime())
      throw invalid(
        "sessionId",
        `the session is older than the group's retention of ${privacy.retentionMonths} months: names are no longer kept, only a headcount`,
      );
    const kept = await deps.rsvps.getNamedAttendance(o, g, sessionId, now);
    if (alreadyRecorded(before, kept, memberIds)) return before;
    const names: NamedAttendance = {
      organisationId: o,
      groupId: g,
      sessionId,
      memberIds: [...memberIds],
      recordedAt: now.toISOString(),
      expiresAt,
    };
    try {
      return await write(deps, before, names, now);
    } catch (error) {
      if (!(error instanceof DomainError && error.kind === "conflict") || attempt === raceAttempts)
        throw error;
      // Another request wrote first: the next round answers it when it named the same people.
      // A different session version means different names won: a real conflict.
      const [stored, won] = await Promise.all([
        deps.store.getSession(o, g, sessionId),
        deps.rsvps.getNamedAttendance(o, g, sessionId, now),
      ]);
      if (stored && alreadyRecorded(stored, won, memberIds)) return stored;
      if (!stored || stored.version !== before.version) throw error;
      await new Promise((settled) => setTimeout(settled, 20 * attempt));
    }
  }
};

/** The session holds these very names, and their number as its headcount. */
const alreadyRecorded = (session: Session, kept: NamedAttendance | undefined, memberIds: readonly string[]) =>
  kept !== undefined &&
  sameAttendees(kept.memberIds, memberIds) &&
  session.attendance?.headcount === memberIds.length;

const write = async (deps: Deps, before: Session, names: NamedAttendance, now: Date): Promise<Session> => {
  const { organisationId: o, groupId: g } = before;
  const headcount = names.memberIds.length;
  const { changeNote: _note, ...kept } = before;
  const after: Session = {
    ...kept,
    attendance: { headcount, recordedAt: names.recordedAt },
    version: before.version + 1,
    updatedAt: now.toISOString(),
  };
  const event = newEvent(
    "SessionAttendanceRecorded",
    { organisationId: o, groupId: g },
    {
      sessionId: before.id,
      sessionVersion: after.version,
      startLocal: after.startLocal,
      headcount,
      previousHeadcount: before.attendance?.headcount,
    },
    now,
  );
  await deps.rsvps.recordNamedAttendance(after, before.version, names, event);
  return after;
};
