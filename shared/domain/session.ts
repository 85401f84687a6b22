import type { SeriesLink } from "./series.ts";

/** Duties shared out for a session; each may have a holder who gets their own reminder line. */
export type DutyKind =
  "facilitation" | "venue-booking" | "refreshments" | "reminders" | "welfare" | "signposting";
export const dutyKinds = [
  "facilitation",
  "venue-booking",
  "refreshments",
  "reminders",
  "welfare",
  "signposting",
] as const;

export interface Duty {
  kind: DutyKind;
  holderMemberId?: string;
}

export interface Venue {
  name: string;
  address?: string;
}

export type SessionStatus = "scheduled" | "cancelled";

/**
 * How many people came to a session, as a coordinator counted them: a headcount and no
 * names, since people come to peer support without signing anything, and not every attendee
 * is a member.
 */
export interface Attendance {
  headcount: number;
  /** ISO UTC instant of the latest record; a coordinator may correct the count. */
  recordedAt: string;
}

/** The most people a headcount may give (a large open meeting); more is a typing mistake. */
export const maxHeadcount = 1000;

/** What a session and a series of sessions share: what it is, when, where, and who does what. */
export interface SessionLogistics {
  title: string;
  startLocal: string; // "YYYY-MM-DDTHH:mm" in timeZone
  timeZone: string;
  durationMinutes: number;
  venue?: Venue;
  onlineUrl?: string;
  facilitatorMemberId?: string;
  duties: Duty[];
}

/**
 * A meeting of a group. Time is stored as local wall-clock time plus the IANA zone, so a
 * session at 19:00 stays at 19:00 across daylight-saving changes. `version` rises with
 * every reschedule or cancellation; reminders planned for an older version do nothing.
 */
export interface Session extends SessionLogistics {
  organisationId: string;
  groupId: string;
  id: string;
  version: number;
  status: SessionStatus;
  /** Recorded once the session has started; a session with attendance was held. */
  attendance?: Attendance;
  /** Set on an occurrence of a series: which one, and where the series put it. */
  series?: SeriesLink;
  /**
   * What an edit of its series changed, for members told in their next reminder rather than
   * at once (the change came more than 48 hours ahead): "Now at 18:30 (was 19:00)".
   */
  changeNote?: string;
  createdAt: string;
  updatedAt: string;
}
