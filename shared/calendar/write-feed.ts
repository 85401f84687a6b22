import ical, { ICalEventStatus } from "ical-generator";
import { TZDate } from "@date-fns/tz/date";
import { sessionEndInstant, sessionStartInstant } from "#domain/local-time.ts";
import type { FeedEvent } from "./feed-events.ts";
import { vtimezoneFor } from "./vtimezone.ts";

/** How often subscribed calendars are asked to poll (REFRESH-INTERVAL, X-PUBLISHED-TTL). */
export const feedRefreshSeconds = 4 * 3600;

/**
 * A feed as RFC 5545 text: one VCALENDAR (no METHOD: a subscription, not an invitation) with
 * the events in a stable order and a VTIMEZONE for every zone they use. Nothing here reads the
 * clock: the same entries give the same bytes, so the bytes' digest is the feed's ETag.
 */
export function writeFeed(name: string, events: readonly FeedEvent[]): string {
  const calendar = ical({
    prodId: { company: "Convene", product: "Calendar feeds", language: "EN" },
    name,
    ttl: feedRefreshSeconds,
    // No calendar-wide zone: DTSTAMP stays in UTC; each event's zone gets its VTIMEZONE.
    timezone: { name: null, generator: vtimezoneFor },
  });
  const inZone = (instant: Date, zone: string) => new TZDate(instant.getTime(), zone);
  const ordered = [...events].sort(
    (a, b) =>
      a.uid.localeCompare(b.uid) ||
      Number(a.recurrenceId !== undefined) - Number(b.recurrenceId !== undefined) ||
      (a.recurrenceId ?? "").localeCompare(b.recurrenceId ?? ""),
  );
  for (const e of ordered) {
    calendar.createEvent({
      id: e.uid,
      sequence: e.sequence,
      stamp: new Date(e.stamp),
      start: inZone(sessionStartInstant(e.startLocal, e.timeZone), e.timeZone),
      end: inZone(sessionEndInstant(e.startLocal, e.timeZone, e.durationMinutes), e.timeZone),
      timezone: e.timeZone,
      summary: e.summary,
      description: e.description ?? null,
      location: e.location ?? null,
      url: e.url ?? null,
      status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      // Joined by CRLF, the generator writes the lines as they are (RRULE, RDATE, EXDATE).
      repeating: e.recurrence ? e.recurrence.join("\r\n") : null,
      recurrenceId: e.recurrenceId
        ? inZone(sessionStartInstant(e.recurrenceId, e.timeZone), e.timeZone)
        : null,
    });
  }
  // RFC 5545 ends every content line, the last one included, with CRLF.
  return `${calendar.toString()}\r\n`;
}
