import type { ConveneEvent, EventType } from "#events/catalogue.ts";
import {
  holdersNeedingTraining,
  membersHealth,
  openVotesHealth,
  rolesHealth,
  seriesHealth,
  upcomingSessions,
  upcomingSessionsKept,
  type HealthSectionName,
  type SectionWrite,
} from "#read-models/group-health.ts";
import { expectedAttendanceByMonth } from "#read-models/expected-attendance.ts";
import { monthsUpTo, trendDeltas } from "#read-models/monthly-trends.ts";
import type { Ports } from "#ports/ports.ts";
import { listComparedSessions } from "./list-compared-sessions.ts";

type Deps = Pick<Ports, "store" | "votes" | "roles" | "series" | "rsvps" | "overview" | "clock">;

/** The sections of a group's health each event can change. */
const sectionsChangedBy: Partial<Record<EventType, readonly HealthSectionName[]>> = {
  SessionScheduled: ["sessions"],
  SessionRescheduled: ["sessions"],
  SessionCancelled: ["sessions"],
  MemberJoinedGroup: ["members"],
  MemberLeftGroup: ["members", "roles"],
  MemberUnsubscribed: ["members"],
  MemberEmailUndeliverable: ["members"],
  MemberPhoneUndeliverable: ["members"],
  MemberRemindersChanged: ["members"],
  VoteOpened: ["votes"],
  BallotCast: ["votes"],
  VoteClosed: ["votes"],
  VoteCancelled: ["votes"],
  RoleVacated: ["roles"],
  RoleFilled: ["roles"],
  TrainingRecorded: ["roles"],
  SeriesCreated: ["series"],
  SeriesChanged: ["series"],
  SeriesEnded: ["series"],
  SeriesConfirmationAsked: ["series"],
  SeriesConfirmationAnswered: ["series"],
  // Attendance adds to the monthly trends, and pairs with the session's yes answers. Answers
  // (RsvpRecorded) close when a session starts, before any attendance: they change nothing here.
  SessionAttendanceRecorded: ["rsvps"],
};

/** The event types the projection handles (the routing table routes exactly these to it). */
export const groupHealthEventTypes = Object.keys(sectionsChangedBy) as EventType[];

/**
 * Reads what one section is made of and computes it. `sessionId`: the session an event is
 * about, read by key (strongly consistent) because the by-start index may not show its latest
 * write yet.
 */
const computeSection = async (
  { store, votes, roles, series, rsvps }: Deps,
  o: string,
  g: string,
  name: HealthSectionName,
  now: Date,
  sessionId: string | undefined,
): Promise<SectionWrite> => {
  const at = now.toISOString();
  switch (name) {
    case "members":
      return { name, at, value: membersHealth(await store.listGroupMembers(o, g)) };
    case "sessions": {
      const [listed, current] = await Promise.all([
        store.listUpcomingSessions(o, g, now, upcomingSessionsKept + 1),
        sessionId === undefined ? undefined : store.getSession(o, g, sessionId),
      ]);
      const sessions = [...listed.filter((s) => s.id !== sessionId), ...(current ? [current] : [])];
      return { name, at, value: upcomingSessions(sessions, now) };
    }
    case "votes": {
      const open = (await votes.listGroupVotes(o, g)).filter((vote) => vote.status === "open");
      const ballots = new Map(
        await Promise.all(
          open.map(async (vote) => [vote.id, (await votes.listBallots(o, vote.id)).length] as const),
        ),
      );
      return { name, at, value: openVotesHealth(open, (voteId) => ballots.get(voteId) ?? 0) };
    }
    case "roles": {
      const [groupRoles, catalogue] = await Promise.all([roles.listGroupRoles(o, g), roles.getCatalogue(o)]);
      const holders = holdersNeedingTraining(groupRoles, catalogue);
      const training = new Map(
        await Promise.all(
          holders.map(async (memberId) => [memberId, await roles.listMemberTraining(o, memberId)] as const),
        ),
      );
      return { name, at, value: rolesHealth(groupRoles, catalogue, (m) => training.get(m) ?? []) };
    }
    case "series":
      return { name, at, value: seriesHealth(await series.listSeries(o, g)) };
    case "rsvps": {
      const fromMonth = monthsUpTo(now)[0]!;
      const compared = await listComparedSessions({ store, rsvps }, o, g, now, fromMonth, sessionId);
      return { name, at, value: expectedAttendanceByMonth(compared, fromMonth) };
    }
  }
};

export interface HealthTracked {
  /** The groups whose health was recomputed. */
  groups: number;
  /** Sections written; fewer than computed when a later computation was already stored. */
  sectionsWritten: number;
  sectionsComputed: number;
  /** Whether the event added to the monthly trends now (false: nothing to add, or added before). */
  countedInTrends: boolean;
}

/**
 * Keeps the organisation overview's aggregates up to date with one event (the projection).
 * 1. Work out the event's trend deltas first, so a malformed event changes nothing.
 * 2. The groups it touches: its own; for a member's unsubscribe, undeliverable email or phone, or
 *    training, every group the member belongs to (each changes all of them).
 * 3. Recompute each section the event can change from the store, as of the instant the reads
 *    begin, and store it unless a later computation is stored already. Recomputing is
 *    idempotent, so redelivered and reordered events leave the latest picture: the last change
 *    to a group emits an event whose recomputation starts after that change was written.
 * 4. Add the trend deltas, once per event id.
 */
export const trackGroupHealth = async (
  deps: Deps,
  event: ConveneEvent,
): Promise<HealthTracked | undefined> => {
  const sections = sectionsChangedBy[event.type];
  if (!sections) return undefined;
  const { store, overview, clock } = deps;
  const o = event.organisationId;
  const deltas = trendDeltas(event);

  const groupIds = new Set([event.groupId]);
  if (
    event.type === "MemberUnsubscribed" ||
    event.type === "MemberEmailUndeliverable" ||
    event.type === "MemberPhoneUndeliverable" ||
    event.type === "TrainingRecorded"
  )
    for (const groupId of await store.listMemberGroupIds(o, event.data.memberId)) groupIds.add(groupId);
  const sessionId =
    "session" in event.data
      ? event.data.session.id
      : event.type === "SessionAttendanceRecorded"
        ? event.data.sessionId
        : undefined;

  let sectionsWritten = 0;
  for (const groupId of groupIds) {
    const written = await Promise.all(
      sections.map(async (name) => {
        const section = await computeSection(deps, o, groupId, name, clock.now(), sessionId);
        return overview.putHealthSection(o, groupId, section);
      }),
    );
    sectionsWritten += written.filter(Boolean).length;
  }

  const countedInTrends = deltas.length > 0 && (await overview.addToTrends(o, event.id, deltas, clock.now()));
  return {
    groups: groupIds.size,
    sectionsWritten,
    sectionsComputed: groupIds.size * sections.length,
    countedInTrends,
  };
};
