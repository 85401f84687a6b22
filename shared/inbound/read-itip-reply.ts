import type { RsvpAnswer } from "./read-rsvp.ts";

/**
 * A calendar's own answer to an invite: an iTIP REPLY (RFC 5546 section 3.2.3), the text/calendar
 * part a calendar sends when its user presses Accept, Decline or Tentative. Only the few
 * properties that answer are read: METHOD, and in the VEVENT its UID, DTSTAMP and the one
 * ATTENDEE with its PARTSTAT. A full iCalendar parser (ical.js, 78 KB minified) would take the
 * receive-reply bundle (221 KB) over its 250 KB budget to read these four.
 */
export type ItipReading =
  | {
      kind: "reply";
      uid: string;
      /** The attendee's address, lower-cased (from its mailto: value). */
      attendee: string;
      /** ACCEPTED, DECLINED, TENTATIVE as yes, no, maybe; undefined for any other PARTSTAT. */
      answer: RsvpAnswer | undefined;
      /** When the calendar made the reply (DTSTAMP), if it says. */
      madeAt?: Date;
    }
  /** No REPLY: another method (a forwarded REQUEST), or no calendar at all. */
  | { kind: "not-a-reply" }
  /** A REPLY that names no UID, or not exactly one attendee. */
  | { kind: "malformed" };

const answers: Record<string, RsvpAnswer> = { ACCEPTED: "yes", DECLINED: "no", TENTATIVE: "maybe" };

/** Calendar text read at most: a reply is a few hundred bytes; hostile input is cut short. */
const maxChars = 200_000;

interface ContentLine {
  name: string;
  params: Map<string, string>;
  value: string;
}

/** Reads the first REPLY among a mail's calendar parts. Never throws. */
export const readItipReply = (calendars: readonly string[]): ItipReading => {
  let reading: ItipReading = { kind: "not-a-reply" };
  for (const calendar of calendars) {
    reading = readOne(calendar);
    if (reading.kind !== "not-a-reply") return reading;
  }
  return reading;
};

const readOne = (calendar: string): ItipReading => {
  const lines = contentLines(calendar.slice(0, maxChars));
  if (lines.find((l) => l.name === "METHOD")?.value.toUpperCase() !== "REPLY") return { kind: "not-a-reply" };
  // The first VEVENT's properties: a reply answers one event (or one occurrence of it).
  const begin = lines.findIndex((l) => l.name === "BEGIN" && l.value.toUpperCase() === "VEVENT");
  const end = lines.findIndex((l, i) => i > begin && l.name === "END" && l.value.toUpperCase() === "VEVENT");
  if (begin < 0 || end < 0) return { kind: "malformed" };
  const event = lines.slice(begin + 1, end);
  const uid = event.find((l) => l.name === "UID")?.value;
  const attendees = event.filter((l) => l.name === "ATTENDEE");
  const address = /^mailto:(.+)$/i.exec(attendees[0]?.value.trim() ?? "")?.[1];
  if (!uid || attendees.length !== 1 || !address) return { kind: "malformed" };
  const madeAt = instantOf(event.find((l) => l.name === "DTSTAMP")?.value);
  return {
    kind: "reply",
    uid,
    attendee: address.trim().toLowerCase(),
    answer: answers[(attendees[0]!.params.get("PARTSTAT") ?? "").toUpperCase()],
    ...(madeAt ? { madeAt } : {}),
  };
};

/** RFC 5545 section 3.1: lines unfolded (a CRLF or LF before a space or tab continues the line). */
const contentLines = (text: string): ContentLine[] =>
  text
    .replace(/\r?\n[ \t]/g, "")
    .split(/\r?\n/)
    .flatMap((line) => {
      const parsed = contentLine(line);
      return parsed ? [parsed] : [];
    });

/** name *(";" param) ":" value, where a param value may be quoted (and hold ";" or ":"). */
const contentLine = (line: string): ContentLine | undefined => {
  const head = /^([A-Za-z0-9-]+)/.exec(line);
  if (!head) return undefined;
  const params = new Map<string, string>();
  let at = head[1]!.length;
  while (line[at] === ";") {
    const param = /^;([A-Za-z0-9-]+)=("[^"]*"|[^;:,]*)(?:,("[^"]*"|[^;:,]*))*/.exec(line.slice(at));
    if (!param) return undefined;
    params.set(param[1]!.toUpperCase(), param[2]!.replace(/^"|"$/g, ""));
    at += param[0].length;
  }
  if (line[at] !== ":") return undefined;
  return { name: head[1]!.toUpperCase(), params, value: line.slice(at + 1) };
};

/** A DTSTAMP, always UTC ("20261207T230400Z"); undefined when it is not one. */
const instantOf = (value: string | undefined): Date | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value?.trim() ?? "");
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  return Number.isNaN(date.getTime()) ? undefined : date;
};
