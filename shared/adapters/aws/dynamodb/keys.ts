import { createHash } from "node:crypto";

// Every key starts with the organisation, so one tenant's items can never be read through
// another tenant's key.

const org = (organisationId: string) => `ORG#${organisationId}`;

export const keys = {
  organisation: (o: string) => ({ PK: org(o), SK: "ORGANISATION" }),
  group: (o: string, g: string) => ({ PK: org(o), SK: `GROUP#${g}` }),
  groupsOf: (o: string) => ({ PK: org(o), SKPrefix: "GROUP#" }),
  member: (o: string, m: string) => ({ PK: org(o), SK: `MEMBER#${m}` }),
  membersOf: (o: string) => ({ PK: org(o), SKPrefix: "MEMBER#" }),
  /**
   * Claims an email address for one member of the organisation. Keyed by a digest of its
   * lower-case form, as replies are compared, so no address is written into a key.
   */
  memberEmail: (o: string, email: string) => ({
    PK: `${org(o)}#EMAIL#${createHash("sha256").update(email.trim().toLowerCase()).digest("hex")}`,
    SK: "EMAIL",
  }),
  /**
   * A member's phone number as the second key of their item (a digest, never the number), across
   * every organisation: an inbound text carries only the number, which is how its members are
   * found. The organisation and member follow in the sort key.
   */
  memberPhone: (o: string, m: string, phone: string) => ({
    GSI1PK: `PHONE#${createHash("sha256").update(phone.trim()).digest("hex")}`,
    GSI1SK: `${org(o)}#MEMBER#${m}`,
  }),
  membersWithPhone: (phone: string) => ({
    GSI1PK: `PHONE#${createHash("sha256").update(phone.trim()).digest("hex")}`,
  }),
  /** A member's consent records on a channel, oldest first (append-only: each change is kept). */
  consentRecord: (o: string, m: string, channel: string, at: string, id: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SK: `CONSENT#${channel}#${at}#${id}`,
  }),
  consentRecordsOf: (o: string, m: string, channel: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SKPrefix: `CONSENT#${channel}#`,
  }),
  /** A question we texted, by the provider's message id; and the same under its member, by time. */
  smsQuestion: (messageId: string) => ({ PK: `SMS-QUESTION#${messageId}`, SK: "QUESTION" }),
  memberSmsQuestion: (o: string, m: string, askedAt: string, messageId: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SK: `SMS-QUESTION#${askedAt}#${messageId}`,
  }),
  memberSmsQuestionsOf: (o: string, m: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SKPrefix: "SMS-QUESTION#",
  }),
  /**
   * An inbound text acted on for one member, by AWS's inboundMessageId: a redelivered text
   * finds it and changes nothing. Like the ballot token, without the organisation in front:
   * the text names none; the members it acted for follow in the sort key.
   */
  inboundSms: (inboundMessageId: string, o: string, m: string) => ({
    PK: `SMS-INBOUND#${inboundMessageId}`,
    SK: `${org(o)}#MEMBER#${m}`,
  }),
  membership: (o: string, g: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}`,
    SK: `MEMBER#${m}`,
    GSI1PK: `${org(o)}#MEMBER#${m}`,
    GSI1SK: `GROUP#${g}`,
  }),
  groupsOfMember: (o: string, m: string) => ({ GSI1PK: `${org(o)}#MEMBER#${m}`, GSI1SKPrefix: "GROUP#" }),
  membershipsOfGroup: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "MEMBER#" }),
  session: (o: string, g: string, s: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `SESSION#${s}` }),
  /** Upcoming sessions of a group, ordered by start instant; cancelled sessions leave the index. */
  sessionByStart: (o: string, g: string, startUtc: string, s: string) => ({
    GSI1PK: `${org(o)}#GROUP#${g}#SESSIONS`,
    GSI1SK: `${startUtc}#${s}`,
  }),
  sessionsByStartOf: (o: string, g: string) => ({ GSI1PK: `${org(o)}#GROUP#${g}#SESSIONS` }),
  /** Every session of a group, cancelled ones too (which the by-start index leaves out). */
  sessionsOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "SESSION#" }),
  /** A group's calendar feed settings (absent: not published). */
  groupFeedSettings: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: "CALENDAR-FEED" }),
  /** The digest of a member's private feed token, kept under the member so a new one replaces it. */
  memberFeedToken: (o: string, m: string) => ({ PK: `${org(o)}#MEMBER#${m}`, SK: "CALENDAR-FEED-TOKEN" }),
  /**
   * Like the ballot token, without the organisation in front: a feed URL carries only its
   * token, and the key holds the token's SHA-256 digest, never the token.
   */
  calendarFeedToken: (digest: string) => ({ PK: `CALENDAR-FEED-TOKEN#${digest}`, SK: "CALENDAR-FEED-TOKEN" }),
  series: (o: string, g: string, s: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `SERIES#${s}` }),
  seriesOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "SERIES#" }),
  /**
   * Active series by when their next occurrence not yet a session starts, across every
   * organisation: what the daily window extension reads (and nothing on a tenant's behalf). The
   * second key without the organisation in front; the ids follow in the sort key.
   */
  seriesWindowDue: (o: string, g: string, s: string, nextStartUtc: string) => ({
    GSI1PK: "SERIES-WINDOWS",
    GSI1SK: `${nextStartUtc}#${org(o)}#GROUP#${g}#SERIES#${s}`,
  }),
  seriesWindowsDue: () => ({ GSI1PK: "SERIES-WINDOWS" }),
  /** A coordinator's token for one "still meeting?" ask (named by when it fell due). */
  memberSeriesToken: (o: string, g: string, s: string, dueAt: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}`,
    SK: `SERIES-TOKEN#${s}#${dueAt}#${m}`,
  }),
  /** Like the ballot token: a reply carries only the token, which is how the tenant is found. */
  seriesReplyToken: (token: string) => ({ PK: `SERIES-TOKEN#${token}`, SK: "SERIES-TOKEN" }),
  /** A session's places, settings and counts: one item, versioned (shared/domain/rsvp.ts). */
  sessionPlaces: (o: string, s: string) => ({ PK: `${org(o)}#SESSION#${s}#RSVP`, SK: "PLACES" }),
  /** A member's latest answer for a session, beside the places. */
  rsvp: (o: string, s: string, m: string) => ({ PK: `${org(o)}#SESSION#${s}#RSVP`, SK: `RSVP#${m}` }),
  rsvpsOf: (o: string, s: string) => ({ PK: `${org(o)}#SESSION#${s}#RSVP`, SKPrefix: "RSVP#" }),
  /** A series' RSVP settings, which its sessions take until one is given its own. */
  seriesRsvpSettings: (o: string, s: string) => ({ PK: `${org(o)}#SERIES#${s}#RSVP`, SK: "SETTINGS" }),
  /** A group's RSVP privacy (absent: the default, shared/domain/rsvp-privacy.ts). */
  rsvpPrivacy: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: "RSVP-PRIVACY" }),
  /**
   * A member's own choice to show their name beside their answers, under the group; without a
   * member, the prefix of them all (one key builder: the API function's bundle is at its budget).
   */
  rsvpNameOptIn: (o: string, g: string, m = "") => ({ PK: `${org(o)}#GROUP#${g}`, SK: `NAME-SHOWN#${m}` }),
  /** Who came to a session, in a group that records attendance by name (faded by TTL). */
  attendedNames: (o: string, g: string, s: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `ATTENDED#${s}` }),
  /** The member's RSVP token for a session, so the same one is sent again. */
  memberRsvpToken: (o: string, s: string, m: string) => ({
    PK: `${org(o)}#SESSION#${s}#RSVP`,
    SK: `TOKEN#${m}`,
  }),
  /** Like the ballot token: a reply carries only the token, which is how the tenant is found. */
  rsvpReplyToken: (token: string) => ({ PK: `RSVP-TOKEN#${token}`, SK: "RSVP-TOKEN" }),
  vote: (o: string, g: string, v: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `VOTE#${v}` }),
  votesOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "VOTE#" }),
  ballot: (o: string, v: string, m: string) => ({ PK: `${org(o)}#VOTE#${v}`, SK: `BALLOT#${m}` }),
  ballotsOf: (o: string, v: string) => ({ PK: `${org(o)}#VOTE#${v}`, SKPrefix: "BALLOT#" }),
  /** The member's token for a vote, so the same one is sent again on redelivery. */
  memberToken: (o: string, v: string, m: string) => ({ PK: `${org(o)}#VOTE#${v}`, SK: `TOKEN#${m}` }),
  /**
   * The one key without the organisation in front: inbound mail carries nothing but the
   * token, so the token item is how the organisation is found. The token is 128 random bits.
   */
  ballotToken: (token: string) => ({ PK: `BALLOT-TOKEN#${token}`, SK: "BALLOT-TOKEN" }),
  inboundMessage: (o: string, messageKey: string) => ({
    PK: `${org(o)}#INBOUND#${messageKey}`,
    SK: "INBOUND",
  }),
  /** The organisation's role catalogue, one item (absent: the default catalogue). */
  roleCatalogue: (o: string) => ({ PK: org(o), SK: "ROLE-CATALOGUE" }),
  groupRole: (o: string, g: string, r: string) => ({ PK: `${org(o)}#GROUP#${g}`, SK: `ROLE#${r}` }),
  groupRolesOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}`, SKPrefix: "ROLE#" }),
  /** Several records of one training (renewals) sort by completion within it. */
  training: (o: string, m: string, t: string, completedAt: string) => ({
    PK: `${org(o)}#MEMBER#${m}`,
    SK: `TRAINING#${t}#${completedAt}`,
  }),
  trainingOf: (o: string, m: string) => ({ PK: `${org(o)}#MEMBER#${m}`, SKPrefix: "TRAINING#" }),
  /** One partition per vacancy: a role vacant again later collects its volunteers afresh. */
  volunteer: (o: string, g: string, r: string, vacantSince: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SK: `VOLUNTEER#${m}`,
  }),
  volunteersOf: (o: string, g: string, r: string, vacantSince: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SKPrefix: "VOLUNTEER#",
  }),
  vacancyResponse: (o: string, g: string, r: string, vacantSince: string, kind: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SK: `RESPONSE#${kind}#${m}`,
  }),
  vacancyResponsesOf: (o: string, g: string, r: string, vacantSince: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SKPrefix: "RESPONSE#",
  }),
  /** The member's token for one purpose on one vacancy, so the same one is sent again. */
  memberRoleToken: (o: string, g: string, r: string, vacantSince: string, purpose: string, m: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SK: `TOKEN#${purpose}#${m}`,
  }),
  /** Like the ballot token: a reply carries only the token, which is how the tenant is found. */
  roleReplyToken: (token: string) => ({ PK: `ROLE-TOKEN#${token}`, SK: "ROLE-TOKEN" }),
  /** Claimed once per vacancy when it escalates to the umbrella admins, whichever trigger comes first. */
  vacancyEscalation: (o: string, g: string, r: string, vacantSince: string) => ({
    PK: `${org(o)}#GROUP#${g}#ROLE#${r}#VACANCY#${vacantSince}`,
    SK: "ESCALATED",
  }),
  /**
   * The overview's aggregates have a partition of their own beside the organisation's: a
   * health item per group and a counters item per month ("YYYY-MM"), so one SK range reads
   * every group's health and the trends up to a month (TREND# sorts after HEALTH#).
   */
  groupHealth: (o: string, g: string) => ({ PK: `${org(o)}#OVERVIEW`, SK: `HEALTH#${g}` }),
  monthlyTrend: (o: string, month: string) => ({ PK: `${org(o)}#OVERVIEW`, SK: `TREND#${month}` }),
  overviewUpTo: (o: string, toMonth: string) => ({
    PK: `${org(o)}#OVERVIEW`,
    SKFrom: "HEALTH#",
    SKTo: `TREND#${toMonth}`,
  }),
  /** Written with an event's trend counts, in the same transaction: that event counts once. */
  trendEvent: (o: string, eventId: string) => ({ PK: `${org(o)}#TREND-EVENT#${eventId}`, SK: "TREND-EVENT" }),
  /**
   * A group's activity log, a partition of its own: one item per event, sorted by when it
   * occurred (ISO UTC) and then by event id, so a redelivered event lands on its own item.
   */
  groupActivity: (o: string, g: string, occurredAt: string, eventId: string) => ({
    PK: `${org(o)}#GROUP#${g}#ACTIVITY`,
    SK: `${occurredAt}#${eventId}`,
  }),
  groupActivityOf: (o: string, g: string) => ({ PK: `${org(o)}#GROUP#${g}#ACTIVITY` }),
  outbox: (o: string, eventId: string) => ({ PK: `${org(o)}#OUTBOX#${eventId}`, SK: "OUTBOX" }),
  delivery: (o: string, deliveryKey: string) => ({ PK: `${org(o)}#DELIVERY#${deliveryKey}`, SK: "DELIVERY" }),
} as const;

/** Item kinds, stored in `kind` so the stream filter (Pipes, local poller) can pick outbox records. */
export const itemKind = {
  organisation: "organisation",
  group: "group",
  member: "member",
  memberEmail: "member-email",
  membership: "membership",
  session: "session",
  series: "series",
  outbox: "outbox",
  delivery: "delivery",
  groupHealth: "group-health",
  monthlyTrend: "monthly-trend",
  trendEvent: "trend-event",
  groupActivity: "group-activity",
  sessionPlaces: "session-places",
  rsvp: "rsvp",
  seriesRsvpSettings: "series-rsvp-settings",
  rsvpPrivacy: "rsvp-privacy",
  rsvpNameOptIn: "name-shown",
  attendedNames: "attended-names",
  rsvpReplyToken: "rsvp-reply-token",
  vote: "vote",
  ballot: "ballot",
  ballotToken: "ballot-token",
  inboundMessage: "inbound-message",
  inboundSms: "inbound-sms",
  consentRecord: "consent-record",
  smsQuestion: "sms-question",
  roleCatalogue: "role-catalogue",
  groupRole: "group-role",
  training: "training",
  volunteer: "volunteer",
  vacancyEscalation: "vacancy-escalation",
  vacancyResponse: "vacancy-response",
  roleReplyToken: "role-reply-token",
  seriesReplyToken: "series-reply-token",
  groupFeedSettings: "group-feed-settings",
  memberFeedToken: "member-feed-token",
  calendarFeedToken: "calendar-feed-token",
} as const;
