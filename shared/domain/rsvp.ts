import type { PlaceHolder } from "./session-places.ts";

/**
 * Who is coming to a session: a member's answer, the places it may take, and the counts a
 * facilitator reads. Names never live here: answers are kept by member id, and the counts are
 * kept beside the places so that reading them costs one item.
 */

export const rsvpAnswers = ["yes", "no", "maybe"] as const;
export type RsvpAnswer = (typeof rsvpAnswers)[number];

/** How an answer came: a reply to the email, the calendar's Accept/Decline, a signed link, an SMS. */
export const rsvpSources = ["reply", "calendar", "link", "sms"] as const;
export type RsvpSource = (typeof rsvpSources)[number];
/** What a stored answer records besides: "left-group", the "no" given for a member who left the group. */
export const storedRsvpSources = [...rsvpSources, "left-group"] as const;
export type StoredRsvpSource = (typeof storedRsvpSources)[number];

/** Whether a session asks for answers, and its places (capacity absent: no limit). */
export interface RsvpSettings {
  asked: boolean;
  capacity?: number;
  /** Places kept back, not given by RSVP. */
  reserved: number;
}

/** One member and one session: what an RSVP token, a reply address and a link stand for. */
export interface RsvpRef {
  organisationId: string;
  groupId: string;
  sessionId: string;
  memberId: string;
}

/** A member's latest answer for a session; a later one replaces it, an older one changes nothing. */
export interface Rsvp {
  organisationId: string;
  groupId: string;
  sessionId: string;
  memberId: string;
  answer: RsvpAnswer;
  /** When the member made the answer (a reply's Date, a link's POST): the last one wins. */
  answeredAt: string;
  source: StoredRsvpSource;
}

/**
 * A session's places: its settings, who holds or waits for a place (by member id, in arrival
 * order) and the maybe/no counts. One item with a version, so concurrent answers for the last
 * place are decided one after another and exactly one gets it.
 */
export interface SessionPlaces {
  organisationId: string;
  groupId: string;
  sessionId: string;
  settings: RsvpSettings;
  version: number;
  holders: PlaceHolder[];
  maybe: number;
  no: number;
}

/** What may be shown of a session's answers: counts only (the waiting list's order never is). */
export interface RsvpCounts {
  yes: number;
  maybe: number;
  no: number;
  /** Waiting for a place, offered ones included until they accept. */
  waiting: number;
}

export const countsOf = (places: SessionPlaces): RsvpCounts => ({
  yes: places.holders.filter((h) => h.status === "going").length,
  maybe: places.maybe,
  no: places.no,
  waiting: places.holders.filter((h) => h.status !== "going").length,
});

/** The places of a session that has not been asked yet. */
export const noPlaces = (ref: {
  organisationId: string;
  groupId: string;
  sessionId: string;
}): SessionPlaces => ({
  ...ref,
  settings: { asked: false, reserved: 0 },
  version: 0,
  holders: [],
  maybe: 0,
  no: 0,
});
