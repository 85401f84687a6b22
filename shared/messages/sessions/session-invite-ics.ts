import ical, {
  escape,
  foldLines,
  ICalAttendeeRole,
  ICalAttendeeStatus,
  ICalCalendarMethod,
  ICalEventStatus,
} from "ical-generator";
import { TZDate } from "@date-fns/tz/date";
import { addressParser } from "postal-mime";
import { uidOfSession } from "#calendar/uids.ts";
import { vtimezoneFor } from "#calendar/vtimezone.ts";
import { sessionEndInstant, sessionStartInstant } from "#domain/local-time.ts";
import type { Session } from "#domain/session.ts";

export type SessionIcsMethod = "REQUEST" | "CANCEL";

export interface SessionIcsInput {
  session: Session;
  groupName: string;
  organiserEmail: string;
  attendeeEmail: string;
  method: SessionIcsMethod;
  /** The session asks who is coming: the calendar offers Accept/Decline/Tentative (RSVP=TRUE). */
  rsvp?: boolean;
}

/**
 * Renders the calendar invite (METHOD:REQUEST) or its withdrawal (METHOD:CANCEL) for one
 * member and one version of a session.
 *
 * Calendar clients match updates by UID and order them by SEQUENCE, so the UID is fixed per
 * session and SEQUENCE follows the session's version: a reschedule or a cancellation raises
 * the version, and so replaces the invite the member already has. Times carry the session's
 * own zone (TZID plus a VTIMEZONE), so a 19:00 session stays at 19:00 in the member's
 * calendar across daylight-saving changes. DTSTAMP is the moment this version was written,
 * so sending the same version twice yields the same bytes.
 */
export function renderSessionIcs(input: SessionIcsInput): string {
  const { session, groupName, organiserEmail, attendeeEmail, method, rsvp = false } = input;
  if (!Number.isInteger(session.version) || session.version < 1) {
    throw new RangeError(`session version must be a positive integer, got ${session.version}`);
  }
  if (method === "REQUEST" && session.status === "cancelled") {
    throw new RangeError("a cancelled session can only be rendered with METHOD:CANCEL");
  }

  // Instants by the house rules (first occurrence of a repeated hour, gaps shifted forward),
  // then shown in the session's zone: ical-generator writes a TZDate's clock time in the
  // event's TZID (a plain Date's would be read in the process's own zone).
  const inZone = (instant: Date) => new TZDate(instant.getTime(), session.timeZone);
  const start = inZone(sessionStartInstant(session.startLocal, session.timeZone));
  const end = inZone(sessionEndInstant(session.startLocal, session.timeZone, session.durationMinutes));
  const stamp = isoInstant(session.updatedAt);
  if (stamp === undefined) throw new RangeError(`invalid session updatedAt ${session.updatedAt}`);

  const calendar = ical({
    prodId: { company: "Convene", product: "Sessions", language: "EN" },
    method: method === "CANCEL" ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
    // No calendar-wide zone (name: null): DTSTAMP must stay in UTC. The generator still
    // emits a VTIMEZONE for every zone an event uses.
    timezone: { name: null, generator: vtimezoneFor },
  });

  calendar.createEvent({
    // An occurrence of a series is that series' event on its date (as in the calendar feeds).
    id: uidOfSession(session),
    recurrenceId: session.series
      ? inZone(sessionStartInstant(session.series.originalStartLocal, session.timeZone))
      : null,
    sequence: session.version - 1,
    stamp,
    start,
    end,
    timezone: session.timeZone,
    summary: `${session.title} (${groupName})`,
    description: descriptionOf(session, groupName),
    location: locationOf(session),
    url: session.onlineUrl ?? null,
    status: method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: quotedParameterSafe(groupName), email: organiserAddress(organiserEmail) },
    attendees: [
      {
        email: attendeeEmail,
        role: ICalAttendeeRole.REQ,
        status: ICalAttendeeStatus.NEEDSACTION,
        // Asked: the calendar's answer (an iTIP REPLY) goes to the organiser, the member's RSVP
        // address. Not asked: nothing to answer.
        rsvp,
      },
    ],
  });

  // RFC 5545 ends every content line, the last one included, with CRLF.
  return `${calendar.toString()}\r\n`;
}

/** Renders one session version's invite for any member: see sessionIcsRenderer. */
export type SessionIcsForAttendee = (attendeeEmail: string) => string;

/** Stands in for the member while the shared part is rendered; escape() leaves it as it is. */
const placeholderAttendee = "attendee@convene.invalid";

/**
 * The same invite as renderSessionIcs, byte for byte, for every member of one session
 * version: the calendar is rendered once with a placeholder attendee, and each call swaps in
 * the member's address (escaped as ical-generator escapes it) and folds that one content line
 * again. Folding is per content line, so every other line keeps its bytes. Throws as
 * renderSessionIcs does, but once, when created.
 */
export function sessionIcsRenderer(
  session: Session,
  groupName: string,
  organiserEmail: string,
  method: SessionIcsMethod,
): SessionIcsForAttendee {
  const template = renderSessionIcs({
    session,
    groupName,
    organiserEmail,
    attendeeEmail: placeholderAttendee,
    method,
  });
  // Content lines start after a CRLF; continuation lines start with a space, so the
  // ATTENDEE property runs to the first CRLF not followed by one.
  const start = template.indexOf("\r\nATTENDEE;") + 2;
  const end = start < 2 ? -1 : template.slice(start).search(/\r\n(?! )/);
  const attendeeLine = end < 0 ? "" : template.slice(start, start + end).replace(/\r\n /g, "");
  const mailto = `:MAILTO:${placeholderAttendee}`;
  if (!attendeeLine.endsWith(mailto) || template.indexOf("\r\nATTENDEE", start) !== -1) {
    throw new Error("ical-generator no longer writes one ATTENDEE line ending in its MAILTO address");
  }
  const head = template.slice(0, start);
  const tail = template.slice(start + end);
  const lineUpToAddress = attendeeLine.slice(0, -placeholderAttendee.length);
  return (attendeeEmail) => {
    // ical-generator refuses an attendee without an address.
    if (!attendeeEmail) throw new Error("No value for `email` in ICalAttendee given!");
    return head + foldLines(lineUpToAddress + escape(attendeeEmail, false)) + tail;
  };
}

/**
 * The instant an ISO date and time with an offset names ("2026-07-01T10:00:00.000Z"), or
 * undefined. Date.parse alone would take other shapes (a time without offset in the
 * process's own zone) and roll 30 February over to March.
 */
function isoInstant(text: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1, 4).map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const ms = Date.parse(text);
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1 && !Number.isNaN(ms)
    ? new Date(ms)
    : undefined;
}

/**
 * The bare address of the sender (settings.fromAddress may be a mailbox, "Convene
 * <reminders@…>"): ORGANIZER's value is a mailto URI (RFC 5545 §3.8.4.3), where a display
 * name, angle brackets or spaces make it invalid; the name a person reads goes in CN.
 */
function organiserAddress(from: string): string {
  const [mailbox] = addressParser(from);
  const address = mailbox && "address" in mailbox ? (mailbox.address ?? "").trim() : "";
  if (!/^[^\s@<>]+@[^\s@<>]+$/.test(address))
    throw new RangeError("the organiser (the sender's address) has no email address in it");
  return address;
}

/**
 * A quoted parameter value (CN="…") may not contain DQUOTE (RFC 5545 §3.1), and
 * ical-generator's backslash escape there is not understood by every parser.
 */
const quotedParameterSafe = (value: string): string => value.replace(/"/g, "'").replace(/\\/g, "/");

function locationOf(session: Session): string | null {
  if (session.venue) {
    return [session.venue.name, session.venue.address].filter(Boolean).join(", ");
  }
  return session.onlineUrl ?? null;
}

function descriptionOf(session: Session, groupName: string): string {
  const lines = [`${session.title}, a session of ${groupName}.`];
  if (session.venue && session.onlineUrl) lines.push(`Join online: ${session.onlineUrl}`);
  return lines.join("\n");
}
