import { consentMethods, consentStates, type ConsentRecord } from "#domain/consent.ts";
import type { Group } from "#domain/group.ts";
import { leadershipModels } from "#domain/group.ts";
import { channels, undeliverableReasons, type Member, type Membership } from "#domain/member.ts";
import { phoneUndeliverableReasons } from "#domain/sms-failure.ts";
import type { SmsQuestion } from "#domain/sms-question.ts";
import type { GroupFeedSettings, MemberFeedRef } from "#domain/calendar-feed.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { GroupRole, RoleDefinition } from "#domain/role.ts";
import type { Series } from "#domain/series.ts";
import {
  rsvpAnswers,
  storedRsvpSources,
  type Rsvp,
  type RsvpRef,
  type RsvpSettings,
  type SessionPlaces,
} from "#domain/rsvp.ts";
import { attendanceRecordings, nameVisibilities, type RsvpPrivacy } from "#domain/rsvp-privacy.ts";
import type { NamedAttendance } from "#domain/named-attendance.ts";
import { dutyKinds, type Session } from "#domain/session.ts";
import type { TrainingRecord } from "#domain/training.ts";
import type { Ballot, Vote, VoteOutcome } from "#domain/vote.ts";
import type { ThresholdRule } from "#domain/vote-threshold.ts";
import type { BallotTokenRef } from "#ports/vote-store.ts";
import type { RoleReplyRef, VacancyResponse, Volunteer } from "#ports/role-store.ts";
import type { SeriesReplyRef } from "#ports/series-store.ts";
import { activityItemShape, type ActivityItem } from "#read-models/activity-item.ts";
import type { GroupHealthSnapshot } from "#read-models/group-health.ts";
import * as z from "#validation/zod-mini.ts";
import { itemKind as kindName } from "./keys.ts";
import { itemKind } from "./item-kind.ts";

// Every kind of item the stores write, with the schema it is checked against when written and
// read. A schema says what the code relies on (types, enums, which fields are optional), not
// what an API would accept (lengths, formats): an item written by an older release must read.
// Every kind is at schema version 1 but `session` (2); docs/data-model.md lists them.

const string = z.string();
const number = z.number();
const optionalString = z.optional(string);
const strings = z.array(string);

export const organisationItem = itemKind<Organisation>()(
  kindName.organisation,
  z.object({
    id: string,
    name: string,
    alertEmails: z.optional(strings),
    textsNameGroups: z.optional(z.boolean()),
    createdAt: string,
  }),
);

export const groupItem = itemKind<Group>()(
  kindName.group,
  z.object({
    organisationId: string,
    id: string,
    name: string,
    timeZone: string,
    leadershipModel: z.enum(leadershipModels),
    leaderMemberId: optionalString,
    rotationOrder: z.optional(strings),
    coordinatorMemberIds: z.optional(strings),
    createdAt: string,
  }),
);

const consent = z.object({
  state: z.enum(consentStates),
  at: string,
  how: z.enum(consentMethods),
  wordingVersion: string,
});

export const memberItem = itemKind<Member>()(
  kindName.member,
  z.object({
    organisationId: string,
    id: string,
    name: string,
    email: string,
    phone: optionalString,
    reminders: z.array(z.object({ channel: z.enum(channels), offsetMinutes: number })),
    quietHours: z.optional(z.object({ start: string, end: string })),
    unsubscribed: z.array(z.enum(channels)),
    emailUndeliverable: z.optional(z.object({ reason: z.enum(undeliverableReasons), since: string })),
    phoneUndeliverable: z.optional(
      z.object({ reason: z.enum(phoneUndeliverableReasons), since: string, phone: string }),
    ),
    smsConsent: z.optional(consent),
    createdAt: string,
  }),
);

/** One change of a member's consent on a channel, kept beside the member for good. */
export const consentRecordItem = itemKind<ConsentRecord>()(
  kindName.consentRecord,
  z.object({ organisationId: string, memberId: string, channel: z.enum(channels), ...consent.def.shape }),
);

/** The claim on an address: the one member of the organisation whose address it is. */
export const memberEmailItem = itemKind<{ memberId: string }>()(
  kindName.memberEmail,
  z.object({ memberId: string }),
);

export const membershipItem = itemKind<Membership>()(
  kindName.membership,
  z.object({ organisationId: string, groupId: string, memberId: string, joinedAt: string }),
);

/** A session's or a series' own ids, and what they share (SessionLogistics). */
const sessionShape = {
  organisationId: string,
  groupId: string,
  id: string,
  version: number,
  title: string,
  startLocal: string,
  timeZone: string,
  durationMinutes: number,
  venue: z.optional(z.object({ name: string, address: optionalString })),
  onlineUrl: optionalString,
  facilitatorMemberId: optionalString,
  duties: z.array(z.object({ kind: z.enum(dutyKinds), holderMemberId: optionalString })),
};

/**
 * Version 2 adds `series`, the link of a series' occurrence: code that knew only version 1
 * would read such a session and, rewriting it, drop the link, so it refuses it instead.
 * Version 3 adds `series.overridden` (a "this occurrence" edit) and `changeNote` (what an
 * edit of its series changed, for the next reminder), for the same reason.
 */
export const sessionItem = itemKind<Session>()(
  kindName.session,
  z.object({
    ...sessionShape,
    status: z.enum(["scheduled", "cancelled"]),
    attendance: z.optional(z.object({ headcount: number, recordedAt: string })),
    series: z.optional(
      z.object({ seriesId: string, originalStartLocal: string, overridden: z.optional(z.boolean()) }),
    ),
    changeNote: optionalString,
    createdAt: string,
    updatedAt: string,
  }),
  [(v1) => v1, (v2) => v2],
);

/**
 * A session series. `recurrence` holds RFC 5545 lines; `materialisedUntil` is the edge of the
 * window its occurrences fill as sessions, `nextOccurrenceAt` the start of the first beyond it.
 * Version 2 adds `confirmedAt` and `confirmationAskedAt` ("still meeting?"), and `splitFrom`
 * and `splitInto` (a "this and following" edit): code that knew only version 1 would drop
 * them on a rewrite, so it refuses such an item instead.
 */
export const seriesItem = itemKind<Series>()(
  kindName.series,
  z.object({
    ...sessionShape,
    recurrence: strings,
    status: z.enum(["active", "ended"]),
    materialisedUntil: optionalString,
    nextOccurrenceAt: optionalString,
    splitFrom: z.optional(z.object({ seriesId: string, originalStartLocal: string })),
    splitInto: z.optional(z.object({ seriesId: string, originalStartLocal: string })),
    createdAt: string,
    updatedAt: string,
    endedAt: optionalString,
    confirmedAt: optionalString,
    confirmationAskedAt: optionalString,
  }),
  [(v1) => v1],
);

/** What a series reply token stands for: one coordinator, asked once about one series. */
export const seriesReplyTokenItem = itemKind<SeriesReplyRef>()(
  kindName.seriesReplyToken,
  z.object({ organisationId: string, groupId: string, seriesId: string, memberId: string, dueAt: string }),
);

/**
 * A message's claim: "sending" under a lease, then "sent". A claim written before leases has
 * neither state nor lease (it was written just before its send).
 */
export const deliveryItem = itemKind<{
  state?: "sending" | "sent";
  leaseUntil?: number;
  expiresAt: number;
}>()(
  kindName.delivery,
  z.object({
    state: z.optional(z.enum(["sending", "sent"])),
    leaseUntil: z.optional(number),
    expiresAt: number,
  }),
);

/** Seen once: `expiresAt` (TTL, epoch seconds) is all it holds. */
const expiring = z.object({ expiresAt: number });
export const inboundMessageItem = itemKind<{ expiresAt: number }>()(kindName.inboundMessage, expiring);
/** An inbound text acted on for a member; an answer's words kept until `expiresAt` for its reader. */
export const inboundSmsItem = itemKind<{ expiresAt: number; text?: string }>()(
  kindName.inboundSms,
  z.object({ expiresAt: number, text: optionalString }),
);
const askedBySms = z.union([
  z.object({ kind: z.literal("rsvp"), groupId: string, sessionId: string }),
  z.object({ kind: z.enum(["call", "offer"]), groupId: string, roleId: string, vacantSince: string }),
]);
/** A question texted to a member (keys.smsQuestion and keys.memberSmsQuestion hold one each). */
export const smsQuestionItem = itemKind<SmsQuestion & { expiresAt: number }>()(
  kindName.smsQuestion,
  z.object({
    organisationId: string,
    memberId: string,
    messageId: string,
    askedAt: string,
    about: z.union([
      askedBySms,
      z.object({
        kind: z.literal("menu"),
        answer: z.enum(["yes", "no", "maybe"]),
        options: z.array(askedBySms),
      }),
    ]),
    answeredAt: optionalString,
    expiresAt: number,
  }),
);
export const trendEventItem = itemKind<{ expiresAt: number }>()(kindName.trendEvent, expiring);

const threshold: z.ZodMiniType<ThresholdRule> = z.union([
  z.object({ kind: z.literal("majority") }),
  z.object({ kind: z.literal("at-least"), numerator: number, denominator: number }),
]);

const outcome: z.ZodMiniType<VoteOutcome> = z.union([
  z.object({ kind: z.enum(["passed", "rejected", "no-majority", "no-quorum", "no-votes"]) }),
  z.object({ kind: z.enum(["elected", "chosen"]), optionId: string }),
  z.object({ kind: z.literal("tie"), optionIds: strings }),
]);

/**
 * The whole Vote under `vote` (its own `kind` would clash with the item's). A vote stored
 * before threshold rules holds its threshold as a share (the store reads it as the rule it
 * stood for: a transform here would weigh more in the bundles than the store's one line).
 */
export type StoredVote = Omit<Vote, "threshold"> & { threshold: ThresholdRule | number };
export const voteItem = itemKind<{ vote: StoredVote }>()(
  kindName.vote,
  z.object({
    vote: z.object({
      organisationId: string,
      groupId: string,
      id: string,
      question: string,
      kind: z.enum(["proposal", "choice", "election"]),
      options: z.array(z.object({ id: string, label: string })),
      roleId: optionalString,
      closesAt: string,
      quorum: number,
      threshold: z.union([threshold, number]),
      secrecy: z.enum(["secret", "open"]),
      eligibleMemberIds: strings,
      reminderMinutesBeforeClose: number,
      status: z.enum(["open", "closed", "cancelled"]),
      result: z.optional(
        z.object({
          counts: z.record(string, number),
          ballots: number,
          eligible: number,
          turnout: number,
          quorumMet: z.boolean(),
          outcome,
        }),
      ),
      openedAt: string,
      openedBy: string,
    }),
  }),
);

export const ballotItem = itemKind<Ballot>()(
  kindName.ballot,
  z.object({ organisationId: string, voteId: string, memberId: string, optionId: string, castAt: string }),
);

/** A session's places (shared/domain/rsvp.ts): settings, holders by member id, the maybe/no counts. */
export const sessionPlacesItem = itemKind<SessionPlaces>()(
  kindName.sessionPlaces,
  z.object({
    organisationId: string,
    groupId: string,
    sessionId: string,
    settings: z.object({ asked: z.boolean(), capacity: z.optional(number), reserved: number }),
    version: number,
    holders: z.array(
      z.object({
        memberId: string,
        status: z.enum(["going", "waiting", "offered"]),
        since: string,
        offerEndsAt: optionalString,
      }),
    ),
    maybe: number,
    no: number,
  }),
);

/** A series' RSVP settings: its sessions ask (and hold places) alike until one is given its own. */
export const seriesRsvpSettingsItem = itemKind<RsvpSettings>()(
  kindName.seriesRsvpSettings,
  z.object({ asked: z.boolean(), capacity: z.optional(number), reserved: number }),
);

/** A group's RSVP privacy: who sees names, how attendance is recorded, how long names are kept. */
export const rsvpPrivacyItem = itemKind<RsvpPrivacy>()(
  kindName.rsvpPrivacy,
  z.object({
    organisationId: string,
    groupId: string,
    names: z.enum(nameVisibilities),
    attendance: z.enum(attendanceRecordings),
    retentionMonths: number,
    updatedAt: string,
  }),
);

/** A member's choice to show their name beside their answers (present: shown, under "opt-in"). */
export const rsvpNameOptInItem = itemKind<{ memberId: string; optedInAt: string }>()(
  kindName.rsvpNameOptIn,
  z.object({ memberId: string, optedInAt: string }),
);

/** Who came to a session, by member id; `expiresAt` is the table's TTL attribute (names fade). */
export const attendedNamesItem = itemKind<NamedAttendance>()(
  kindName.attendedNames,
  z.object({
    organisationId: string,
    groupId: string,
    sessionId: string,
    memberIds: strings,
    recordedAt: string,
    expiresAt: number,
  }),
);

/** What an RSVP token stands for (one member, one session), under the token itself. */
export const rsvpReplyTokenItem = itemKind<RsvpRef>()(
  kindName.rsvpReplyToken,
  z.object({ organisationId: string, groupId: string, sessionId: string, memberId: string }),
);

/** A member's latest answer for a session; an older answer never replaces it. */
export const rsvpItem = itemKind<Rsvp>()(
  kindName.rsvp,
  z.object({
    organisationId: string,
    groupId: string,
    sessionId: string,
    memberId: string,
    answer: z.enum(rsvpAnswers),
    answeredAt: string,
    source: z.enum(storedRsvpSources),
  }),
);

/** The token kept under the member (a vote's, or a vacancy's for one purpose). */
const memberToken = z.object({ token: string });
export const memberBallotTokenItem = itemKind<{ token: string }>()(kindName.ballotToken, memberToken);
export const memberRoleTokenItem = itemKind<{ token: string }>()(kindName.roleReplyToken, memberToken);
export const memberSeriesTokenItem = itemKind<{ token: string }>()(kindName.seriesReplyToken, memberToken);
export const memberRsvpTokenItem = itemKind<{ token: string }>()(kindName.rsvpReplyToken, memberToken);

/** What a ballot token stands for, under the token itself. */
export const ballotTokenItem = itemKind<BallotTokenRef>()(
  kindName.ballotToken,
  z.object({ organisationId: string, groupId: string, voteId: string, memberId: string }),
);

/** What a role reply token stands for, under the token itself. */
export const roleReplyTokenItem = itemKind<RoleReplyRef>()(
  kindName.roleReplyToken,
  z.object({
    organisationId: string,
    groupId: string,
    roleId: string,
    vacantSince: string,
    memberId: string,
    purpose: z.enum(["call", "offer", "objection", "appoint"]),
  }),
);

export const roleCatalogueItem = itemKind<{ definitions: RoleDefinition[]; version: number }>()(
  kindName.roleCatalogue,
  z.object({
    definitions: z.array(
      z.object({
        id: string,
        name: string,
        description: string,
        pay: z.enum(["paid", "voluntary"]),
        critical: z.boolean(),
        requiredTrainingIds: strings,
        termMonths: z.optional(number),
        duty: z.optional(z.enum(dutyKinds)),
      }),
    ),
    version: number,
  }),
);

/** A group's role with `version`, the optimistic lock every change is conditioned on. */
export const groupRoleItem = itemKind<GroupRole & { version: number }>()(
  kindName.groupRole,
  z.object({
    organisationId: string,
    groupId: string,
    roleId: string,
    holders: z.array(
      z.object({
        memberId: string,
        since: string,
        termEndsAt: optionalString,
        trainingOverride: z.optional(
          z.object({ by: string, reason: string, at: string, trainingIds: strings }),
        ),
      }),
    ),
    maxHolders: number,
    vacantSince: optionalString,
    version: number,
  }),
);

/** Kept whole under `record`, so its own `expiresAt` never sits in the table's TTL attribute. */
export const trainingItem = itemKind<{ record: TrainingRecord }>()(
  kindName.training,
  z.object({
    record: z.object({
      memberId: string,
      trainingId: string,
      completedAt: string,
      expiresAt: optionalString,
    }),
  }),
);

export const volunteerItem = itemKind<Volunteer>()(
  kindName.volunteer,
  z.object({ memberId: string, volunteeredAt: string }),
);

export const vacancyEscalationItem = itemKind<{ eventId: string; escalatedAt: string }>()(
  kindName.vacancyEscalation,
  z.object({ eventId: string, escalatedAt: string }),
);

export const vacancyResponseItem = itemKind<{ response: VacancyResponse }>()(
  kindName.vacancyResponse,
  z.object({
    response: z.object({ memberId: string, kind: z.enum(["declined", "objected", "proposed"]), at: string }),
  }),
);

const computed = <S extends z.ZodMiniType>(value: S) => z.optional(z.object({ value, at: string }));

/** A group's health: each section with the instant its reads began. */
export const groupHealthItem = itemKind<GroupHealthSnapshot>()(
  kindName.groupHealth,
  z.object({
    groupId: string,
    members: computed(z.object({ count: number, unreachable: number })),
    sessions: computed(
      z.array(z.object({ sessionId: string, startsAt: string, hasFacilitator: z.boolean() })),
    ),
    votes: computed(
      z.array(
        z.object({
          voteId: string,
          question: string,
          closesAt: string,
          ballots: number,
          eligible: number,
          quorum: number,
        }),
      ),
    ),
    roles: computed(
      z.object({
        vacant: z.array(
          z.object({ roleId: string, name: string, critical: z.boolean(), vacantSince: string }),
        ),
        trainingExpiries: strings,
      }),
    ),
    series: computed(
      z.array(z.object({ seriesId: string, lastConfirmedAt: string, askedAt: optionalString })),
    ),
    rsvps: computed(
      z.array(z.object({ month: string, sessions: number, expected: number, attended: number })),
    ),
  }),
);

/** A month's counters: `month` and one number per counter that events have added to. */
const monthlyTrend = z.catchall(z.object({ month: string }), number);
export const monthlyTrendItem = itemKind<z.output<typeof monthlyTrend>>()(
  kindName.monthlyTrend,
  monthlyTrend,
);

/**
 * An activity log item is strict (activityItemShape): an attribute it does not name fails the
 * write and the read, instead of vanishing. `expiresAt` is the table's TTL.
 */
export const groupActivityItem = itemKind<ActivityItem & { expiresAt: number }>()(
  kindName.groupActivity,
  z.extend(activityItemShape, { expiresAt: number }),
);

/** A group's calendar feed settings (calendar-feed.ts). */
export const groupFeedSettingsItem = itemKind<GroupFeedSettings>()(
  kindName.groupFeedSettings,
  z.object({
    organisationId: string,
    groupId: string,
    published: z.boolean(),
    neutralTitle: optionalString,
    updatedAt: string,
  }),
);

/** Under the member: the digest of their private feed token, so a new one can remove it. */
export const memberFeedTokenItem = itemKind<{ tokenDigest: string; issuedAt: string }>()(
  kindName.memberFeedToken,
  z.object({ tokenDigest: string, issuedAt: string }),
);

/** Under the token's digest: whose feed it opens. */
export const calendarFeedTokenItem = itemKind<MemberFeedRef>()(
  kindName.calendarFeedToken,
  z.object({ organisationId: string, memberId: string }),
);
