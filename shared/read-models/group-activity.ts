import type { ConveneEvent, EventOf, EventType } from "#events/catalogue.ts";
import type { ActivityFacts, ActivityItem } from "./activity-item.ts";

/**
 * A group's activity log: one item per event that concerns the group, kept by the
 * record-activity projection. Pure. An item holds ids and facts that name nobody (no name,
 * address, title, question or reason typed by a person), so the log can be shown and exported
 * as it is; the dashboard puts names to the ids from what the caller may read anyway.
 *
 * Left out: the scheduler's own triggers (SessionReminderDue, SessionChangeTextDue, FacilitatorCheckDue,
 * VoteClosingSoon, VoteCloseDue, VolunteeringClosed, RoleOfferLapsed, VacancyEscalationDue,
 * RoleTermEnded, TrainingExpiryDue). Each only asks a handler to look again, and may find
 * nothing to do; what came of it is an event of its own here (VoteClosed, RoleFilled,
 * RoleVacated, RoleVacancyEscalated, VoteOpened). So is RoleOfferDeclined: what comes of it is
 * the next offer, or a call for volunteers.
 */

/** The events the log records; the routing table routes exactly these to record-activity. */
export const activityEventTypes = [
  "SessionScheduled",
  "SessionRescheduled",
  "SessionCancelled",
  "SessionAttendanceRecorded",
  "MemberJoinedGroup",
  "MemberLeftGroup",
  "MemberUnsubscribed",
  "MemberEmailUndeliverable",
  "MemberRemindersChanged",
  "VoteOpened",
  "BallotCast",
  "VoteClosed",
  "VoteCancelled",
  "RoleVacated",
  "RoleFilled",
  "VolunteerOffered",
  "RoleVacancyEscalated",
  "TrainingRecorded",
] as const satisfies readonly EventType[];

export type ActivityType = (typeof activityEventTypes)[number];

export type VoteOutcomeKind = EventOf<"VoteClosed">["data"]["result"]["outcome"]["kind"];
export type RoleFilledHow = EventOf<"RoleFilled">["data"]["how"];
export type RoleVacatedReason = EventOf<"RoleVacated">["data"]["reason"];
export type VoteKind = EventOf<"VoteOpened">["data"]["vote"]["kind"];

// The values of those enums, for the API's response schema; each list must name them all.
type Every<T, List extends readonly T[]> = [Exclude<T, List[number]>] extends [never] ? List : never;
const every =
  <T>() =>
  <const List extends readonly T[]>(list: Every<T, List>) =>
    list;
export const voteOutcomeKinds = every<VoteOutcomeKind>()([
  "passed",
  "rejected",
  "no-quorum",
  "no-votes",
  "no-majority",
  "elected",
  "chosen",
  "tie",
]);
export const roleFilledHows = every<RoleFilledHow>()([
  "appointed",
  "confirmed",
  "elected",
  "offered-and-accepted",
  "assigned",
]);
export const roleVacatedReasons = every<RoleVacatedReason>()(["stepped-down", "left-group", "term-ended"]);
export const voteKinds = every<VoteKind>()(["proposal", "choice", "election"]);

// An item's shape, with its facts, is written down once, in activity-item.ts.
export type { ActivityFacts, ActivityItem } from "./activity-item.ts";

/** Where a page of the log ends: the next page starts with the item just older than this. */
export interface ActivityPosition {
  occurredAt: string;
  eventId: string;
}

/**
 * How long an item is kept: a year and a month, so a year's activity can always be looked
 * back on; the table's TTL deletes it after that, and reads never show it.
 */
export const activityLifetimeDays = 400;
const lifetimeMs = activityLifetimeDays * 24 * 3600 * 1000;

/** The oldest instant still in the log at `now` (ISO UTC): older items have expired. */
export const oldestKeptAt = (now: Date): string => new Date(now.getTime() - lifetimeMs).toISOString();

/** When an item expires, in epoch seconds (the table's TTL attribute): its event's instant + lifetime. */
export const activityExpiresAt = (occurredAt: string): number =>
  Math.floor((new Date(occurredAt).getTime() + lifetimeMs) / 1000);

const isActivityType = (type: EventType): type is ActivityType =>
  (activityEventTypes as readonly EventType[]).includes(type);

/** The facts of one event, by its type. */
const factsOf = (event: ConveneEvent): ActivityFacts | undefined => {
  switch (event.type) {
    case "SessionScheduled":
      return { sessionId: event.data.session.id, startLocal: event.data.session.startLocal };
    case "SessionRescheduled":
      return {
        sessionId: event.data.session.id,
        startLocal: event.data.session.startLocal,
        previousStartLocal: event.data.previousStartLocal,
      };
    case "SessionCancelled":
      // The reason is text a coordinator typed: left out.
      return { sessionId: event.data.session.id, startLocal: event.data.session.startLocal };
    case "SessionAttendanceRecorded":
      return {
        sessionId: event.data.sessionId,
        startLocal: event.data.startLocal,
        headcount: event.data.headcount,
        previousHeadcount: event.data.previousHeadcount,
      };
    case "MemberJoinedGroup":
    case "MemberLeftGroup":
    case "MemberRemindersChanged":
      return { memberId: event.data.memberId };
    case "MemberUnsubscribed":
      return { memberId: event.data.memberId, channel: event.data.channel };
    case "MemberEmailUndeliverable":
      return { memberId: event.data.memberId, emailProblem: event.data.reason };
    case "VoteOpened":
      return { voteId: event.data.vote.id, voteKind: event.data.vote.kind, roleId: event.data.vote.roleId };
    case "BallotCast":
      // Who voted stays out: a ballot may be secret, and the dashboard shows turnout as counts.
      return { voteId: event.data.voteId, replaced: event.data.replaced };
    case "VoteClosed":
      return {
        voteId: event.data.voteId,
        voteKind: event.data.kind,
        roleId: event.data.roleId,
        outcome: event.data.result.outcome.kind,
        closedEarly: event.data.closedEarly,
      };
    case "VoteCancelled":
      return { voteId: event.data.voteId };
    case "RoleVacated":
      return { roleId: event.data.roleId, memberId: event.data.memberId, reason: event.data.reason };
    case "RoleFilled":
      return { roleId: event.data.roleId, memberId: event.data.memberId, how: event.data.how };
    case "VolunteerOffered":
      return { roleId: event.data.roleId, memberId: event.data.memberId };
    case "RoleVacancyEscalated":
      return { roleId: event.data.roleId };
    case "TrainingRecorded":
      return { memberId: event.data.memberId, trainingId: event.data.trainingId };
    default:
      return undefined;
  }
};

/**
 * The log item of an event, or undefined for an event the log does not record. The same
 * event always gives the same item (its instant normalised to UTC), so a redelivery is the
 * same write.
 */
export const activityOf = (event: ConveneEvent): ActivityItem | undefined => {
  if (!isActivityType(event.type)) return undefined;
  const facts = factsOf(event);
  if (!facts) return undefined;
  const defined = Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
  return {
    eventId: event.id,
    type: event.type,
    occurredAt: new Date(event.occurredAt).toISOString(),
    ...defined,
  };
};
