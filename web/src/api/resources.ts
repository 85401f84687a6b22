// The /api/v1 resources the dashboard reads, as the OpenAPI document describes them.

import type { ActivityItem } from "#read-models/group-activity.ts";

export type Channel = "email" | "sms";
export type LeadershipModel = "designated" | "collective" | "rotating";

export interface Organisation {
  id: string;
  name: string;
}

export interface Group {
  organisationId: string;
  id: string;
  name: string;
  timeZone: string;
  leadershipModel: LeadershipModel;
}

export interface ReminderPreference {
  channel: Channel;
  offsetMinutes: number;
}

export interface Member {
  id: string;
  name: string;
  email: string;
  phone?: string;
  reminders: ReminderPreference[];
  quietHours?: { start: string; end: string };
  unsubscribed: Channel[];
  /** Mail to the address bounced or drew a complaint: none is sent until it changes. */
  emailUndeliverable?: { reason: "bounced" | "complained"; since: string };
  /** Texts to the number failed for good: none is sent until the number changes. */
  phoneUndeliverable?: { reason: "invalid-number" | "blocked"; since: string };
  /** Where the member stands on texts; absent when they never gave consent. */
  smsConsent?: SmsConsent;
}

/** One change of a member's SMS consent (GET …/sms-consent lists them, newest first). */
export interface SmsConsent {
  state: "given" | "withdrawn";
  at: string;
  how: "form" | "import" | "keyword" | "admin";
  wordingVersion: string;
}

export interface Session {
  groupId: string;
  id: string;
  version: number;
  title: string;
  startLocal: string;
  startsAt: string;
  timeZone: string;
  durationMinutes: number;
  venue?: { name: string; address?: string };
  onlineUrl?: string;
  facilitatorMemberId?: string;
  status: "scheduled" | "cancelled";
  /** A coordinator's headcount, once the session has started. */
  attendance?: { headcount: number; recordedAt: string };
  /** On an occurrence of a series: the series, and the start the rule gave it. */
  series?: { seriesId: string; originalStartLocal: string };
}

/** What a new series is made of (POST …/series and …/series/preview take the same body). */
export interface SeriesInput {
  title: string;
  startLocal: string;
  durationMinutes?: number;
  venue?: { name: string; address?: string | undefined };
  onlineUrl?: string | undefined;
  facilitatorMemberId?: string | undefined;
  /** RFC 5545 RRULE, e.g. "FREQ=WEEKLY;BYDAY=TU". */
  rrule: string;
  rdates: string[];
  exdates: string[];
}

/** A series as the API answers it, saved or previewed: the rule in words and the next five dates. */
export interface Series {
  groupId: string;
  id: string;
  title: string;
  startLocal: string;
  timeZone: string;
  durationMinutes: number;
  venue?: { name: string; address?: string };
  onlineUrl?: string;
  facilitatorMemberId?: string;
  status: "active" | "ended";
  rrule: string;
  rdates: string[];
  exdates: string[];
  ruleInWords: string;
  nextDates: { startLocal: string; startsAt: string }[];
  endedAt?: string;
}

export type VoteKind = "proposal" | "choice" | "election";

export interface Vote {
  id: string;
  question: string;
  kind: VoteKind;
  options: { id: string; label: string }[];
  closesAt: string;
  quorum: number;
  threshold: number;
  secrecy: "secret" | "open";
  status: "open" | "closed" | "cancelled";
  openedAt: string;
  eligible: number;
  turnout: { ballots: number; share: number };
  result?: {
    counts: Record<string, number>;
    ballots: number;
    eligible: number;
    turnout: number;
    quorumMet: boolean;
    outcome: { kind: string; optionId?: string; optionIds?: string[] };
  };
}

/** A page of GET …/groups/{g}/activity; its items are ids and facts (shared/read-models/group-activity.ts). */
export interface ActivityPage {
  items: ActivityItem[];
  /** Present when older items remain: the `before` of the next page. */
  next?: string;
}

export interface Items<T> {
  items: T[];
}

const segment = encodeURIComponent;
export const apiPaths = {
  organisation: (o: string) => `/api/v1/organisations/${segment(o)}`,
  overview: (o: string) => `/api/v1/organisations/${segment(o)}/overview`,
  groups: (o: string) => `/api/v1/organisations/${segment(o)}/groups`,
  group: (o: string, g: string) => `/api/v1/organisations/${segment(o)}/groups/${segment(g)}`,
  members: (o: string) => `/api/v1/organisations/${segment(o)}/members`,
  member: (o: string, m: string) => `/api/v1/organisations/${segment(o)}/members/${segment(m)}`,
  smsConsent: (o: string, m: string) => `${apiPaths.member(o, m)}/sms-consent`,
  groupMembers: (o: string, g: string) => `${apiPaths.group(o, g)}/members`,
  membership: (o: string, g: string, m: string) => `${apiPaths.group(o, g)}/members/${segment(m)}`,
  sessions: (o: string, g: string) => `${apiPaths.group(o, g)}/sessions`,
  session: (o: string, g: string, s: string) => `${apiPaths.group(o, g)}/sessions/${segment(s)}`,
  /** The group's series (GET, POST); `/preview` answers a series as made, writing nothing. */
  seriesList: (o: string, g: string) => `${apiPaths.group(o, g)}/series`,
  seriesPreview: (o: string, g: string) => `${apiPaths.group(o, g)}/series/preview`,
  series: (o: string, g: string, s: string) => `${apiPaths.group(o, g)}/series/${segment(s)}`,
  votes: (o: string, g: string) => `${apiPaths.group(o, g)}/votes`,
  vote: (o: string, g: string, v: string) => `${apiPaths.group(o, g)}/votes/${segment(v)}`,
  /** The roles the organisation's groups may take up. */
  roleCatalogue: (o: string) => `${apiPaths.organisation(o)}/role-catalogue`,
  /** The group's roles with holders and volunteers (GET); POST takes up a catalogue role. */
  roles: (o: string, g: string) => `${apiPaths.group(o, g)}/roles`,
  role: (o: string, g: string, r: string) => `${apiPaths.group(o, g)}/roles/${segment(r)}`,
  roleHolders: (o: string, g: string, r: string) => `${apiPaths.role(o, g, r)}/holders`,
  roleHolder: (o: string, g: string, r: string, m: string) =>
    `${apiPaths.role(o, g, r)}/holders/${segment(m)}`,
  roleAppointment: (o: string, g: string, r: string) => `${apiPaths.role(o, g, r)}/appointment`,
  /** A session's RSVP counts (GET), with names only as the group's privacy allows. */
  sessionRsvps: (o: string, g: string, s: string) => `${apiPaths.session(o, g, s)}/rsvps`,
  /** Who came to a session, in a group that records attendance by name (GET, PUT). */
  attendanceNames: (o: string, g: string, s: string) => `${apiPaths.session(o, g, s)}/attendance/names`,
  /** Who in the group sees names beside RSVPs, how attendance is recorded (GET, PUT). */
  rsvpPrivacy: (o: string, g: string) => `${apiPaths.group(o, g)}/rsvp-privacy`,
  /** The group's activity log, newest first; `?limit=` and `before=` (a page's `next`). */
  activity: (o: string, g: string) => `${apiPaths.group(o, g)}/activity`,
};

/** A session's answers: counts always; names only for the group's coordinators, as its privacy allows. */
export interface RsvpSummary {
  asked: boolean;
  capacity?: number;
  reserved: number;
  counts: { yes: number; maybe: number; no: number; waiting: number };
  answers?: { memberId: string; name: string; answer: "yes" | "no" | "maybe"; place?: "going" | "waiting" }[];
}

/** Who sees names beside RSVPs (organisers, counts only, or by members' opt-in); how attendance is kept. */
export interface RsvpPrivacy {
  names: "organisers" | "counts" | "opt-in";
  attendance: "headcount" | "named";
  retentionMonths?: number;
}

/** Who came to a session, while the group's retention keeps the names (none once they fade). */
export interface AttendanceNames {
  count: number;
  /** The group's coordinators only. */
  memberIds?: string[];
  /** When the names fade and only the count remains. */
  fadesAt?: string;
}
