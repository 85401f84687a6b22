import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { sessionStartInstant } from "#domain/local-time.ts";
import type { Session } from "#domain/session.ts";
import { renderSessionIcs, type SessionIcsInput } from "#messages/sessions/session-invite-ics.ts";

// The output is read back with ical.js, a different library than the writer, so these tests
// check what a calendar client would understand rather than what ical-generator meant.

const session = (overrides: Partial<Session> = {}): Session => ({
  organisationId: "org-1",
  groupId: "group-1",
  id: "0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a",
  version: 1,
  title: "Monthly meeting",
  startLocal: "2026-07-14T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall", address: "1 Church Street, Leeds" },
  duties: [],
  status: "scheduled",
  createdAt: "2026-06-01T09:00:00.000Z",
  updatedAt: "2026-06-01T09:00:00.000Z",
  ...overrides,
});

const render = (overrides: Partial<SessionIcsInput> = {}): string =>
  renderSessionIcs({
    session: session(),
    groupName: "Carers' Circle",
    organiserEmail: "carers-circle@groups.convene.example",
    attendeeEmail: "member@example.org",
    method: "REQUEST",
    ...overrides,
  });

function parse(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const events = calendar.getAllSubcomponents("vevent");
  expect(events).toHaveLength(1);
  const event = events[0]!;
  return { calendar, event, value: (name: string) => event.getFirstPropertyValue(name) };
}

/** The local reading of a DATE-TIME property, and the instant it denotes through the ICS's own VTIMEZONE. */
function timeOf(calendar: ICAL.Component, event: ICAL.Component, name: "dtstart" | "dtend") {
  const property = event.getFirstProperty(name);
  if (!property) throw new Error(`no ${name}`);
  const time = property.getFirstValue() as ICAL.Time;
  const tzid = property.getParameter("tzid") as string;
  const vtimezone = calendar
    .getAllSubcomponents("vtimezone")
    .find((tz) => tz.getFirstPropertyValue("tzid") === tzid);
  if (!vtimezone) throw new Error(`no VTIMEZONE for ${tzid}`);
  const offsetSeconds = new ICAL.Timezone(vtimezone).utcOffset(time);
  const wallMs = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
  const local = `${time.toString().slice(0, 16)}`;
  return { tzid, local, instant: new Date(wallMs - offsetSeconds * 1000) };
}

describe("renderSessionIcs", () => {
  it("is a METHOD:REQUEST invite for one confirmed event", () => {
    const { calendar, value } = parse(render());
    expect(calendar.getFirstPropertyValue("method")).toBe("REQUEST");
    expect(calendar.getFirstPropertyValue("version")).toBe("2.0");
    expect(calendar.getFirstPropertyValue("prodid")).toMatch(/Convene/);
    expect(value("uid")).toBe("0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a@convene");
    expect(value("sequence")).toBe(0);
    expect(value("status")).toBe("CONFIRMED");
    expect(value("summary")).toBe("Monthly meeting (Carers' Circle)");
  });

  it("names the group as ORGANIZER and the member as the one ATTENDEE", () => {
    const { event } = parse(render());
    const organizer = event.getFirstProperty("organizer")!;
    expect(organizer.getFirstValue()).toBe("mailto:carers-circle@groups.convene.example");
    expect(organizer.getParameter("cn")).toBe("Carers' Circle");
    const attendees = event.getAllProperties("attendee");
    expect(attendees).toHaveLength(1);
    expect(String(attendees[0]!.getFirstValue()).toLowerCase()).toBe("mailto:member@example.org");
    expect(attendees[0]!.getParameter("partstat")).toBe("NEEDS-ACTION");
  });

  it.each([
    ["Convene <reminders@convene.localhost>", "reminders@convene.localhost"],
    ['"Convene <Reminders>" <reminders@convene.localhost>', "reminders@convene.localhost"],
    ["  reminders@convene.example  ", "reminders@convene.example"],
  ])("takes only the address of a sender written %j into ORGANIZER, a valid mailto URI", (from, address) => {
    const ics = render({ organiserEmail: from });
    const { event } = parse(ics);
    const organizer = event.getFirstProperty("organizer")!;
    expect(organizer.getFirstValue()).toBe(`mailto:${address}`);
    // The name goes in CN: the group's, as the member knows it.
    expect(organizer.getParameter("cn")).toBe("Carers' Circle");
    const line = ics
      .replace(/\r\n /g, "")
      .split("\r\n")
      .find((l) => l.startsWith("ORGANIZER"))!;
    expect(line).toBe(`ORGANIZER;CN="Carers' Circle":mailto:${address}`);
    const uri = line.slice(line.indexOf(":mailto:") + 1);
    expect(new URL(uri).pathname).toBe(address);
    expect(uri).not.toMatch(/[<> "]/);
  });

  it("refuses a sender with no address in it rather than write a broken ORGANIZER", () => {
    for (const from of ["Convene", "", "Convene <>"])
      expect(() => render({ organiserEmail: from }), from).toThrow(RangeError);
  });

  it("carries a VTIMEZONE for the session's zone and DTSTART/DTEND in that zone", () => {
    const { calendar, event } = parse(render());
    const vtimezones = calendar.getAllSubcomponents("vtimezone");
    expect(vtimezones.map((tz) => tz.getFirstPropertyValue("tzid"))).toEqual(["Europe/London"]);
    const start = timeOf(calendar, event, "dtstart");
    expect(start.tzid).toBe("Europe/London");
    expect(start.local).toBe("2026-07-14T19:00");
    expect(start.instant.toISOString()).toBe("2026-07-14T18:00:00.000Z"); // BST
    const end = timeOf(calendar, event, "dtend");
    expect(end.local).toBe("2026-07-14T20:30");
    expect(end.instant.getTime() - start.instant.getTime()).toBe(90 * 60_000);
  });

  it.each([
    ["Europe/London", "2026-01-13T19:00"], // GMT
    ["Europe/London", "2026-03-29T19:00"], // the evening the clocks went forward
    ["Europe/London", "2026-10-25T19:00"], // the evening the clocks went back
    ["America/New_York", "2026-11-01T18:30"],
    ["Australia/Sydney", "2026-04-05T10:00"], // southern hemisphere: DST ends that morning
    ["Asia/Kolkata", "2026-05-01T17:45"],
  ])(
    "keeps the wall time in %s on %s and the VTIMEZONE maps it to the right instant",
    (timeZone, startLocal) => {
      const { calendar, event } = parse(render({ session: session({ timeZone, startLocal }) }));
      const start = timeOf(calendar, event, "dtstart");
      expect(start.tzid).toBe(timeZone);
      expect(start.local).toBe(startLocal);
      expect(start.instant.toISOString()).toBe(sessionStartInstant(startLocal, timeZone).toISOString());
    },
  );

  it("keeps the UID and raises SEQUENCE when the session is rescheduled", () => {
    const first = parse(render());
    const moved = parse(
      render({
        session: session({ version: 2, startLocal: "2026-07-21T18:00", updatedAt: "2026-07-01T10:00:00Z" }),
      }),
    );
    expect(moved.value("uid")).toBe(first.value("uid"));
    expect(moved.value("sequence")).toBe(1);
    expect(Number(moved.value("sequence"))).toBeGreaterThan(Number(first.value("sequence")));
    expect(timeOf(moved.calendar, moved.event, "dtstart").local).toBe("2026-07-21T18:00");
  });

  it("withdraws the invite with METHOD:CANCEL, STATUS:CANCELLED, the same UID and a raised SEQUENCE", () => {
    const invite = parse(render({ session: session({ version: 2 }) }));
    const cancelled = session({ version: 3, status: "cancelled", updatedAt: "2026-07-02T08:00:00Z" });
    const cancel = parse(render({ session: cancelled, method: "CANCEL" }));
    expect(cancel.calendar.getFirstPropertyValue("method")).toBe("CANCEL");
    expect(cancel.value("status")).toBe("CANCELLED");
    expect(cancel.value("uid")).toBe(invite.value("uid"));
    expect(cancel.value("sequence")).toBe(2);
    expect(Number(cancel.value("sequence"))).toBeGreaterThan(Number(invite.value("sequence")));
    // The cancelled event still names its time, so clients find the occurrence to remove.
    expect(timeOf(cancel.calendar, cancel.event, "dtstart").local).toBe("2026-07-14T19:00");
  });

  it("uses the venue as LOCATION, or the online link when there is no venue", () => {
    expect(parse(render()).value("location")).toBe("St Mary's Hall, 1 Church Street, Leeds");
    const online = parse(
      render({ session: session({ venue: undefined, onlineUrl: "https://meet.example.org/abc" }) }),
    );
    expect(online.value("location")).toBe("https://meet.example.org/abc");
    expect(online.value("url")).toBe("https://meet.example.org/abc");
  });

  it("round-trips titles and group names with iCalendar's special characters", () => {
    const title = 'Tea, talk; and "quotes" \\ back\nslash';
    const groupName = 'The "Monday" group, Leeds';
    const { event, value } = parse(render({ session: session({ title }), groupName }));
    expect(value("summary")).toBe(`${title} (${groupName})`);
    // A quoted parameter cannot hold DQUOTE at all, so the organiser's CN swaps it.
    expect(event.getFirstProperty("organizer")!.getParameter("cn")).toBe("The 'Monday' group, Leeds");
  });

  it("is the same text for the same version, with DTSTAMP in UTC from the version's write time", () => {
    const ics = render();
    expect(render()).toBe(ics);
    expect(ics).toContain("DTSTAMP:20260601T090000Z\r\n");
  });

  it("ends every line with CRLF and folds lines at 75 octets", () => {
    const ics = render({ session: session({ title: "A rather long title ".repeat(10) }) });
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    const lines = ics.split("\r\n");
    expect(lines.every((line) => !line.includes("\n") && Buffer.byteLength(line) <= 75)).toBe(true);
  });

  it("refuses to invite to a cancelled session and a version below 1", () => {
    expect(() => render({ session: session({ status: "cancelled" }) })).toThrow(RangeError);
    expect(() => render({ session: session({ version: 0 }) })).toThrow(RangeError);
  });
});
