import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import type { Session } from "#domain/session.ts";
import {
  renderSessionIcs,
  sessionIcsRenderer,
  type SessionIcsMethod,
} from "#messages/sessions/session-invite-ics.ts";

// sessionIcsRenderer renders a session version once and swaps each member in; its output must
// be renderSessionIcs's, byte for byte, whatever the address does to the ATTENDEE line's folding.

const session = (overrides: Partial<Session> = {}): Session => ({
  organisationId: "org-1",
  groupId: "group-1",
  id: "0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a",
  version: 2,
  title: "Monthly meeting",
  startLocal: "2026-10-25T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall", address: "1 Church Street, Leeds" },
  duties: [],
  status: "scheduled",
  createdAt: "2026-06-01T09:00:00.000Z",
  updatedAt: "2026-06-02T09:00:00.000Z",
  ...overrides,
});

const organiserEmail = "carers-circle@groups.convene.example";

const attendees = [
  "member@example.org",
  // The ATTENDEE line's fixed part is 70 octets: these end just inside the first line, fold
  // one octet over, fold once, and fold twice.
  "ab@c",
  "ab@cd",
  "abcd@example.org",
  `${"x".repeat(60)}@example.org`,
  `${"very.long.member.address.".repeat(6)}someone@a-long-subdomain.example.org`,
  // Multi-byte characters that straddle the 75-octet boundary.
  `zoë.ångström.${"ü".repeat(40)}@exämple.org`,
  "emoji😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀@example.org",
];
// Characters ical-generator backslash-escapes in the value (quoted local parts allow them). A
// CAL-ADDRESS is a URI, not TEXT, so readers keep the backslashes: only the bytes are compared.
const escapedAttendee = '"semi;colon,comma\\back"@example.org';

const cases: [string, Session, string, SessionIcsMethod][] = [
  ["a REQUEST", session(), "Carers' Circle", "REQUEST"],
  [
    "a CANCEL",
    session({ version: 3, status: "cancelled", updatedAt: "2026-07-02T08:00:00Z" }),
    "Carers' Circle",
    "CANCEL",
  ],
  [
    "long, escaped text and another zone",
    session({
      title: 'Tea, talk; and "quotes" \\ back\nslash — '.repeat(4),
      timeZone: "Australia/Sydney",
      startLocal: "2026-04-05T10:00",
      venue: undefined,
      onlineUrl: `https://meet.example.org/${"room-".repeat(20)}`,
    }),
    'The "Monday" group, Leeds — a group with a name long enough to fold',
    "REQUEST",
  ],
];

describe("sessionIcsRenderer", () => {
  describe.each(cases)("for %s", (_, version, groupName, method) => {
    const icsFor = sessionIcsRenderer(version, groupName, organiserEmail, method);

    it.each([...attendees, escapedAttendee])(
      "renders the same bytes as renderSessionIcs for %s",
      (attendeeEmail) => {
        const expected = renderSessionIcs({
          session: version,
          groupName,
          organiserEmail,
          attendeeEmail,
          method,
        });
        expect(icsFor(attendeeEmail)).toBe(expected);
      },
    );

    it.each(attendees)("names %s as the one attendee, in lines of at most 75 octets", (attendeeEmail) => {
      const ics = icsFor(attendeeEmail);
      expect(ics.split("\r\n").every((line) => Buffer.byteLength(line) <= 75)).toBe(true);
      const event = new ICAL.Component(ICAL.parse(ics) as unknown[]).getFirstSubcomponent("vevent")!;
      const found = event.getAllProperties("attendee").map((p) => String(p.getFirstValue()));
      expect(found).toEqual([`MAILTO:${attendeeEmail}`]);
    });
  });

  it("refuses what renderSessionIcs refuses, when it is made", () => {
    expect(() =>
      sessionIcsRenderer(session({ status: "cancelled" }), "G", organiserEmail, "REQUEST"),
    ).toThrow(RangeError);
    expect(() => sessionIcsRenderer(session({ version: 0 }), "G", organiserEmail, "REQUEST")).toThrow(
      RangeError,
    );
    expect(() =>
      sessionIcsRenderer(session({ timeZone: "Mars/Olympus" }), "G", organiserEmail, "REQUEST"),
    ).toThrow(RangeError);
  });

  it("refuses an empty attendee address, as renderSessionIcs does", () => {
    const render = (attendeeEmail: string) => () =>
      renderSessionIcs({
        session: session(),
        groupName: "G",
        organiserEmail,
        attendeeEmail,
        method: "REQUEST",
      });
    expect(render("")).toThrow();
    expect(() => sessionIcsRenderer(session(), "G", organiserEmail, "REQUEST")("")).toThrow();
  });
});
