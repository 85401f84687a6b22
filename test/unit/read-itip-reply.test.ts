import { describe, expect, it } from "vitest";
import { readItipReply } from "#inbound/read-itip-reply.ts";

// Replies as the three calendars that members use most write them (trimmed of their VTIMEZONEs):
// Google Calendar, Outlook (quoted CN, folded ATTENDEE), Apple Calendar (LF line ends).

const google = [
  "BEGIN:VCALENDAR",
  "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
  "VERSION:2.0",
  "CALSCALE:GREGORIAN",
  "METHOD:REPLY",
  "BEGIN:VEVENT",
  "DTSTART:20261210T190000Z",
  "DTSTAMP:20261207T230400Z",
  "ORGANIZER;CN=Riverside Carers' Circle:mailto:groups@convene.test",
  "UID:s-123@convene",
  "ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN=Ann",
  " Example;X-NUM-GUESTS=0:mailto:Ann.Example@example.org",
  "SEQUENCE:0",
  "STATUS:CONFIRMED",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

const outlook = [
  "BEGIN:VCALENDAR",
  "METHOD:REPLY",
  "PRODID:Microsoft Exchange Server 2010",
  "VERSION:2.0",
  "BEGIN:VEVENT",
  'ATTENDEE;PARTSTAT=DECLINED;CN="Example, Ann; Carer":MAILTO:ann@example.org',
  "COMMENT;LANGUAGE=en-GB:Sorry\\, not this time",
  "UID:series-9@convene",
  "RECURRENCE-ID;TZID=Europe/London:20261210T190000",
  "DTSTAMP:20261207T101500Z",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\r\n");

const apple = [
  "BEGIN:VCALENDAR",
  "METHOD:REPLY",
  "BEGIN:VEVENT",
  "UID:s-123@convene",
  "ATTENDEE;PARTSTAT=TENTATIVE:mailto:ann@example.org",
  "END:VEVENT",
  "END:VCALENDAR",
].join("\n");

describe("reading a calendar's reply", () => {
  it("reads Google's Accept: the UID, the attendee lower-cased across a folded line, yes, and when", () => {
    expect(readItipReply([google])).toEqual({
      kind: "reply",
      uid: "s-123@convene",
      attendee: "ann.example@example.org",
      answer: "yes",
      madeAt: new Date("2026-12-07T23:04:00Z"),
    });
  });

  it("reads Outlook's Decline with a quoted name holding ';' and ':'", () => {
    expect(readItipReply([outlook])).toMatchObject({
      uid: "series-9@convene",
      attendee: "ann@example.org",
      answer: "no",
    });
  });

  it("reads Apple's Tentative as maybe, without a DTSTAMP", () => {
    expect(readItipReply([apple])).toEqual({
      kind: "reply",
      uid: "s-123@convene",
      attendee: "ann@example.org",
      answer: "maybe",
    });
  });

  it("finds the reply among several calendar parts", () => {
    expect(readItipReply([google.replace("METHOD:REPLY", "METHOD:REQUEST"), apple])).toMatchObject({
      answer: "maybe",
    });
  });

  it("gives no answer for another PARTSTAT, and nothing for a forwarded invite", () => {
    expect(readItipReply([apple.replace("TENTATIVE", "NEEDS-ACTION")])).toMatchObject({
      kind: "reply",
      answer: undefined,
    });
    expect(readItipReply([google.replace("METHOD:REPLY", "METHOD:REQUEST")])).toEqual({
      kind: "not-a-reply",
    });
    expect(readItipReply([])).toEqual({ kind: "not-a-reply" });
  });

  it("calls a reply without a UID, or with two attendees, malformed", () => {
    expect(readItipReply([apple.replace("UID:s-123@convene\n", "")])).toEqual({ kind: "malformed" });
    const two = apple.replace("END:VEVENT", "ATTENDEE;PARTSTAT=ACCEPTED:mailto:bob@example.org\nEND:VEVENT");
    expect(readItipReply([two])).toEqual({ kind: "malformed" });
  });
});
