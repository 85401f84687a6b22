import { isValidLocalDateTime, isValidTimeZone } from "#domain/local-time.ts";
import { leadershipModels } from "#domain/group.ts";
import { consentMethods, consentStates } from "#domain/consent.ts";
import { channels, undeliverableReasons } from "#domain/member.ts";
import { phoneUndeliverableReasons } from "#domain/sms-failure.ts";
import { dutyKinds, maxHeadcount } from "#domain/session.ts";
import * as z from "#validation/zod-mini.ts";

// Request and response shapes of /api/v1. The same schemas validate requests and generate
// /api/v1/openapi.json, so the document cannot drift from what the server accepts. A schema
// registered with an `id` is a named component of the document, referred to by $ref.

export const Id = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9_-]+$/, "must be an id of letters, digits, - or _"),
  );

// A refinement cannot appear in the document; the pattern and description say what it checks.
const TimeZone = z
  .string()
  .check(z.refine(isValidTimeZone, "must be an IANA time zone such as Europe/London"))
  .register(z.globalRegistry, {
    example: "Europe/London",
    pattern: "^(UTC|[A-Z][A-Za-z0-9_+-]*(/[A-Z][A-Za-z0-9_+-]*)+)$",
    description: "An IANA time zone name in Area/Location form, or UTC; not an offset or abbreviation",
  });
/** A local date and time; `description` says what it is beyond that. */
const localDateTime = (description = "A real date and wall-clock time in the group's time zone") =>
  z
    .string()
    .check(z.refine(isValidLocalDateTime, "must be a local date and time written YYYY-MM-DDTHH:mm"))
    .register(z.globalRegistry, {
      example: "2026-12-01T19:00",
      pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$",
      description: `${description}, written YYYY-MM-DDTHH:mm`,
    });
const LocalDateTime = localDateTime();
const HourMinute = z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:mm"));
const E164 = z
  .string()
  .check(z.regex(/^\+[1-9]\d{6,14}$/, "must be a phone number in E.164 form, e.g. +447700900123"));
const Name = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));
/** Replies are authenticated by their From address, so an address names one member. */
const emailUniqueness =
  "Unique within the organisation, compared without regard to case: replies by email are authenticated by their From address, so an address belongs to one member. Another member's address is refused with 409 (errors name `email`).";
const MemberEmail = z.email().register(z.globalRegistry, { description: emailUniqueness });

export const OrganisationInput = z
  .strictObject({
    name: Name,
    alertEmails: z.optional(
      z.array(z.email()).check(z.maxLength(10)).register(z.globalRegistry, {
        description:
          "Where the umbrella admins are alerted (escalated vacancies, sessions with no facilitator)",
      }),
    ),
  })
  .register(z.globalRegistry, { id: "OrganisationInput" });
export const Organisation = z
  .object({
    id: z.string(),
    name: z.string(),
    alertEmails: z.optional(
      z.array(z.string()).register(z.globalRegistry, {
        description:
          "Umbrella admins only (and the platform admin who creates the organisation): where the umbrella admins are alerted. Never shown to a coordinator.",
      }),
    ),
    textsNameGroups: z.optional(
      z.boolean().register(z.globalRegistry, {
        description: "Texts name the group and session; by default they say only when (neutral wording)",
      }),
    ),
    createdAt: z.string(),
  })
  .register(z.globalRegistry, { id: "Organisation" });
export const OrganisationPatch = z
  .strictObject({
    textsNameGroups: z.boolean().register(z.globalRegistry, {
      description:
        "Whether texts name the group and session (e.g. a condition named in a group's name); false keeps them neutral",
    }),
  })
  .register(z.globalRegistry, { id: "OrganisationPatch" });

export const GroupInput = z
  .strictObject({
    name: Name,
    timeZone: TimeZone,
    leadershipModel: z._default(z.enum(leadershipModels), "collective"),
  })
  .register(z.globalRegistry, { id: "GroupInput" });
export const Group = z
  .object({
    organisationId: z.string(),
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    leadershipModel: z.enum(leadershipModels),
    createdAt: z.string(),
  })
  .register(z.globalRegistry, { id: "Group" });

/** From 5 minutes to 30 days before a session. */
const ReminderPreference = z.strictObject({
  channel: z.enum(channels),
  offsetMinutes: z
    .int()
    .check(z.minimum(5), z.maximum(43_200))
    .register(z.globalRegistry, {
      description:
        "How long before the session's start the reminder is sent, in elapsed minutes (5 to 43200, i.e. 30 days). " +
        "It is real time, not the wall clock: 1440 is 24 hours before, so across a daylight-saving change in the group's " +
        "time zone a '1 day before' reminder for a 19:00 session goes at 18:00 or 20:00 the day before. " +
        "An SMS due in the member's quiet hours goes earlier, before they begin.",
    }),
});
const Reminders = z.array(ReminderPreference).check(z.maxLength(6));
const QuietHours = z.strictObject({ start: HourMinute, end: HourMinute });

export const MemberInput = z
  .strictObject({
    name: Name,
    email: MemberEmail,
    phone: z.optional(E164),
    reminders: z._default(Reminders, [{ channel: "email", offsetMinutes: 2880 }]),
    quietHours: z.optional(QuietHours),
  })
  .check(
    z.refine((m) => m.phone !== undefined || m.reminders.every((r) => r.channel !== "sms"), {
      message: "an SMS reminder needs a phone number",
      path: ["phone"],
    }),
  )
  .register(z.globalRegistry, { id: "MemberInput" });
export const MemberPatch = z
  .strictObject({
    name: z.optional(Name),
    email: z.optional(MemberEmail),
    phone: z.optional(z.nullable(E164)),
    reminders: z.optional(Reminders),
    quietHours: z.optional(z.nullable(QuietHours)),
  })
  .register(z.globalRegistry, { id: "MemberPatch" });
/** The wording version shown with a consent form, e.g. "v2" or "2026-03-signup". */
const WordingVersion = z.string().check(z.trim(), z.minLength(1), z.maxLength(64));
export const SmsConsent = z
  .object({
    state: z.enum(consentStates),
    at: z.string(),
    how: z.enum(consentMethods),
    wordingVersion: z.string(),
  })
  .register(z.globalRegistry, {
    id: "SmsConsent",
    description:
      "Where the member stands on texts: given or withdrawn, when, how (form, import, keyword, admin) and the wording shown. No texts are sent without it given.",
  });
export const SmsConsentInput = z
  .strictObject({ state: z.enum(consentStates), wordingVersion: WordingVersion })
  .register(z.globalRegistry, { id: "SmsConsentInput" });
export const Member = z
  .object({
    organisationId: z.string(),
    id: z.string(),
    name: z.string(),
    email: z.string().register(z.globalRegistry, { description: emailUniqueness }),
    phone: z.optional(z.string()),
    reminders: z.array(ReminderPreference),
    quietHours: z.optional(z.object({ start: z.string(), end: z.string() })),
    unsubscribed: z.array(z.enum(channels)),
    emailUndeliverable: z.optional(
      z.object({ reason: z.enum(undeliverableReasons), since: z.string() }).register(z.globalRegistry, {
        description:
          "Mail to the address bounced for good or was reported as spam: none is sent until it changes",
      }),
    ),
    phoneUndeliverable: z.optional(
      z.object({ reason: z.enum(phoneUndeliverableReasons), since: z.string() }).register(z.globalRegistry, {
        description: "Texts to the member's number failed for good: none is sent until the number changes",
      }),
    ),
    smsConsent: z.optional(SmsConsent),
    createdAt: z.string(),
  })
  .register(z.globalRegistry, { id: "Member" });

const Venue = z.strictObject({ name: Name, address: z.optional(z.string().check(z.maxLength(500))) });
const Duty = z.strictObject({ kind: z.enum(dutyKinds), holderMemberId: z.optional(Id) });
const DurationMinutes = z.int().check(z.minimum(15), z.maximum(720));

/** What a session and a series share: title, time, place and who does what. */
const sessionFields = {
  title: z.string().check(z.trim(), z.minLength(1), z.maxLength(120)),
  startLocal: LocalDateTime,
  durationMinutes: z._default(DurationMinutes, 90),
  venue: z.optional(Venue),
  onlineUrl: z.optional(z.url({ protocol: /^https?$/ })),
  facilitatorMemberId: z.optional(Id),
  duties: z._default(z.array(Duty).check(z.maxLength(12)), []),
};
export const SessionInput = z.strictObject(sessionFields).register(z.globalRegistry, { id: "SessionInput" });
export const RescheduleInput = z
  .strictObject({ startLocal: LocalDateTime, durationMinutes: z.optional(DurationMinutes) })
  .register(z.globalRegistry, { id: "RescheduleInput" });
export const CancelInput = z
  .strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) })
  .register(z.globalRegistry, { id: "CancelInput" });
export const AttendanceInput = z
  .strictObject({ headcount: z.int().check(z.minimum(0), z.maximum(maxHeadcount)) })
  .register(z.globalRegistry, { id: "AttendanceInput" });
/** A session's or a series' ids and logistics, as answered. */
const sessionView = {
  organisationId: z.string(),
  groupId: z.string(),
  id: z.string(),
  version: z.int(),
  title: z.string(),
  startLocal: z.string(),
  timeZone: z.string(),
  durationMinutes: z.int(),
  venue: z.optional(Venue),
  onlineUrl: z.optional(z.string()),
  facilitatorMemberId: z.optional(z.string()),
  duties: z.array(Duty),
};
export const Session = z
  .object({
    ...sessionView,
    startsAt: z.string().register(z.globalRegistry, { description: "The start as a UTC instant" }),
    status: z.enum(["scheduled", "cancelled"]),
    attendance: z.optional(z.object({ headcount: z.int(), recordedAt: z.string() })),
    series: z.optional(
      z.object({ seriesId: z.string(), originalStartLocal: z.string() }).register(z.globalRegistry, {
        description: "On an occurrence of a series: the series, and the start it gave the session",
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .register(z.globalRegistry, { id: "Session" });

const localDates = (description: string) =>
  z._default(z.array(LocalDateTime).check(z.maxLength(100)), []).register(z.globalRegistry, { description });
export const SeriesInput = z
  .strictObject({
    ...sessionFields,
    startLocal: localDateTime("The first session (DTSTART), on the rule; its time of day is every session's"),
    rrule: z
      .string()
      .check(z.trim(), z.minLength(1), z.maxLength(300))
      .register(z.globalRegistry, {
        example: "FREQ=WEEKLY;BYDAY=TU",
        description:
          "An RFC 5545 RRULE: FREQ=WEEKLY (INTERVAL, BYDAY=MO,TH) or FREQ=MONTHLY (BYDAY=2TU or -1SU, or BYMONTHDAY), " +
          "with COUNT or UNTIL (a date, or a UTC date and time) or neither. At most once a day: no HOURLY, BYHOUR and the like.",
      }),
    rdates: localDates("Sessions added beside the rule's (RDATE), in the group's time zone"),
    exdates: localDates("The rule's sessions skipped (EXDATE), each as the rule gives its start"),
  })
  .register(z.globalRegistry, { id: "SeriesInput" });
/**
 * An edit of a series, as calendars offer it: one occurrence ("this", an override; or its
 * cancellation), "following" (the series splits there), or "all" (from the next occurrence
 * on). Fields are named as in SeriesInput; null removes an optional one.
 */
export const EditSeriesInput = z
  .strictObject({
    scope: z.enum(["this", "following", "all"]),
    occurrence: z.optional(
      localDateTime("The occurrence's original start (its RECURRENCE-ID): required for this and following"),
    ),
    changes: z.strictObject({
      title: z.optional(sessionFields.title),
      startLocal: z.optional(
        localDateTime(
          'The new start: of the occurrence for "this"; for "following" and "all", the first session from which the change holds, whose time of day is every session\'s',
        ),
      ),
      durationMinutes: z.optional(DurationMinutes),
      venue: z.optional(z.nullable(Venue)),
      onlineUrl: z.optional(z.nullable(z.url({ protocol: /^https?$/ }))),
      facilitatorMemberId: z.optional(z.nullable(Id)),
      duties: z.optional(z.array(Duty).check(z.maxLength(12))),
      rrule: z.optional(SeriesInput.shape.rrule),
      rdates: z.optional(z.array(LocalDateTime).check(z.maxLength(100))),
      exdates: z.optional(z.array(LocalDateTime).check(z.maxLength(100))),
      cancelled: z.optional(
        z
          .literal(true)
          .register(z.globalRegistry, { description: 'Cancels the occurrence (scope "this" only)' }),
      ),
    }),
  })
  .register(z.globalRegistry, { id: "EditSeriesInput" });
export const EndSeriesInput = z
  .strictObject({ reason: z.optional(z.string().check(z.maxLength(500))) })
  .register(z.globalRegistry, { id: "EndSeriesInput" });
export const Series = z
  .object({
    ...sessionView,
    status: z.enum(["active", "ended"]),
    rrule: z.string(),
    rdates: z.array(z.string()),
    exdates: z.array(z.string()),
    recurrence: z.array(z.string()).register(z.globalRegistry, {
      description: "The recurrence as stored: RFC 5545 RRULE, RDATE and EXDATE lines (DTSTART is startLocal)",
    }),
    ruleInWords: z.string().register(z.globalRegistry, { example: "Every Tuesday at 19:00, London time" }),
    nextDates: z
      .array(z.object({ startLocal: z.string(), startsAt: z.string() }))
      .register(z.globalRegistry, {
        description: "The next five dates of the series from now (none once it has ended)",
      }),
    materialisedUntil: z.optional(
      z
        .string()
        .register(z.globalRegistry, { description: "Sessions exist for the dates before this instant" }),
    ),
    nextOccurrenceAt: z.optional(z.string()),
    splitFrom: z.optional(
      z.object({ seriesId: z.string(), originalStartLocal: z.string() }).register(z.globalRegistry, {
        description:
          'Made by a "this and following" edit: the series it carries on from, and the occurrence split at',
      }),
    ),
    splitInto: z.optional(
      z.object({ seriesId: z.string(), originalStartLocal: z.string() }).register(z.globalRegistry, {
        description: 'Split by a "this and following" edit: the series that carries on, from that occurrence',
      }),
    ),
    createdAt: z.string(),
    updatedAt: z.string(),
    endedAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: "Series" });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ field: z.string(), message: z.string() }))),
  })
  .register(z.globalRegistry, { id: "Problem" });
