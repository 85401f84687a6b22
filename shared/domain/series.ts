import type { SessionLogistics } from "./session.ts";

export type SeriesStatus = "active" | "ended";

/**
 * A group's sessions on a pattern: every Tuesday at 19:00, the last Sunday of the month. Its
 * logistics (title, duration, venue or link, facilitator, duties) are a session's, its
 * `startLocal` the first session's start (DTSTART), whose time of day is every session's; its
 * dates are an RFC 5545 recurrence (recurrence-set.ts) stored as text. Its occurrences become
 * ordinary sessions a rolling window ahead (materialised), so reminders, duties, facilitator
 * checks and attendance work on them unchanged. `version` rises with every change to the
 * series (an edit, its end), so a materialisation that read an older one writes nothing.
 */
export interface Series extends SessionLogistics {
  organisationId: string;
  groupId: string;
  id: string;
  version: number;
  /**
   * RFC 5545 content lines without DTSTART: "RRULE:…", and "RDATE;TZID=<zone>:…" and
   * "EXDATE;TZID=<zone>:…" when dates are added or skipped (recurrenceLines).
   */
  recurrence: string[];
  status: SeriesStatus;
  /**
   * The edge of the materialised window (ISO UTC): every occurrence starting before it is a
   * session already (or was in the past when its window was filled). Absent until the first fill.
   */
  materialisedUntil?: string;
  /**
   * When the first occurrence not yet a session starts (ISO UTC): the window needs extending
   * once it comes within the window. Absent when no occurrence is left to make.
   */
  nextOccurrenceAt?: string;
  createdAt: string;
  updatedAt: string;
  endedAt?: string;
  /**
   * When a coordinator last said the group still meets this way (ISO UTC): at creation, on an
   * edit, or by answering "yes" to "still meeting?" (series-staleness.ts). Absent on series
   * made before it was kept: their createdAt stands in.
   */
  confirmedAt?: string;
  /** When the coordinators were last asked "still meeting?" (ISO UTC). */
  confirmationAskedAt?: string;
  /**
   * Set on a series made by a "this and following" edit: the series it was split from, and
   * the occurrence (its original start there) from which this one took over.
   */
  splitFrom?: SeriesSplit;
  /** Set on a series that was split: the series that took over, and from which occurrence. */
  splitInto?: SeriesSplit;
}

/** One side of a "this and following" split: the other series, and the occurrence it split at. */
export interface SeriesSplit {
  seriesId: string;
  originalStartLocal: string;
}

/** Where a session came from, on a session that is an occurrence of a series (RECURRENCE-ID). */
export interface SeriesLink {
  seriesId: string;
  /** The start the series gave it, "YYYY-MM-DDTHH:mm", kept when the session itself moves. */
  originalStartLocal: string;
  /**
   * Set once a "this occurrence" edit changed or cancelled the session (an override): edits
   * of the whole series, or of this and following, leave it as it is.
   */
  overridden?: boolean;
}

/** How far ahead a series' occurrences exist as sessions. */
export const seriesWindowWeeks = 13;
export const seriesWindowMs = seriesWindowWeeks * 7 * 86_400_000;

/**
 * The session id of an occurrence, from the series and the start the series gave it: the same
 * occurrence always gets the same id, so a repeated materialisation finds it instead of making
 * a second. "<series id>_20260317T1900": at most 64 characters for a UUID series id.
 */
export const occurrenceSessionId = (seriesId: string, originalStartLocal: string): string =>
  `${seriesId}_${originalStartLocal.replace(/[-:]/g, "")}`;
