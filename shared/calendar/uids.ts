import type { Session } from "#domain/session.ts";

// Calendar clients match entries by UID: the emailed invites and the feeds give the same
// thing the same UID, so a calendar that has both merges them instead of showing two.

/** The UID of a session that belongs to no series, kept across its versions. */
export const sessionUid = (sessionId: string): string => `${sessionId}@convene`;

/** The UID of a series: its one recurring VEVENT, and each occurrence's (with its RECURRENCE-ID). */
export const seriesUid = (seriesId: string): string => `${seriesId}@convene`;

/** A session's UID: its series' for an occurrence, its own otherwise. */
export const uidOfSession = (session: Pick<Session, "id" | "series">): string =>
  session.series ? seriesUid(session.series.seriesId) : sessionUid(session.id);
