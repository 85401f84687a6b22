import { afterEach, describe, expect, it } from "vitest";
import { formatLocal, formatLocalShort } from "#domain/local-time.ts";
import { assignHolder } from "#domain/role-assignment.ts";
import type { GroupRole, RoleDefinition } from "#domain/role.ts";
import type { Session } from "#domain/session.ts";
import { renderSessionIcs } from "#messages/sessions/session-invite-ics.ts";

// Time rules that luxon used to carry and plain code or @date-fns/tz now does: each must hold
// whatever zone the process itself runs in (Lambda runs in UTC, a laptop rarely does).

const processZone = process.env.TZ;
afterEach(() => {
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

describe("formatLocalShort (the SMS form)", () => {
  it("writes a short day, date, month and 24-hour time in the zone, with no zone name", () => {
    expect(formatLocalShort(new Date("2026-03-31T18:00:00Z"), "Europe/London")).toBe("Tue 31 Mar 19:00");
    expect(formatLocalShort(new Date("2026-12-03T09:05:00Z"), "America/New_York")).toBe("Thu 3 Dec 04:05");
  });

  it("refuses a zone that is not an IANA name, as formatLocal does", () => {
    expect(() => formatLocalShort(new Date("2026-03-31T18:00:00Z"), "GB")).toThrow(RangeError);
  });
});

describe("formatLocal", () => {
  it("refuses an invalid instant rather than writing text about it", () => {
    expect(() => formatLocal(new Date(Number.NaN), "Europe/London")).toThrow(RangeError);
  });

  it("writes the zone's own clock, not the process's", () => {
    process.env.TZ = "Pacific/Chatham";
    expect(formatLocal(new Date("2026-10-25T01:30:00Z"), "Europe/London")).toBe(
      "Sunday 25 October 2026, 01:30 (GMT)",
    );
  });
});

describe("a role's default term", () => {
  const role: GroupRole = {
    organisationId: "org-1",
    groupId: "group-1",
    roleId: "chair",
    holders: [],
    maxHolders: 1,
  };
  const chair = (termMonths: number): RoleDefinition => ({
    id: "chair",
    name: "Chair",
    description: "Chairs the meetings.",
    pay: "voluntary",
    critical: false,
    requiredTrainingIds: [],
    termMonths,
  });
  const termEnd = (now: string, termMonths: number) =>
    assignHolder(
      { roleId: "chair", memberId: "member-1" },
      { roles: [role], catalogue: [chair(termMonths)], memberIds: ["member-1"], training: [] },
      new Date(now),
    ).holders[0]?.termEndsAt;

  it("ends the same day and time that many calendar months later, in UTC", () => {
    expect(termEnd("2026-05-01T12:00:00.000Z", 1)).toBe("2026-06-01T12:00:00.000Z");
    expect(termEnd("2026-11-15T23:30:00.000Z", 3)).toBe("2027-02-15T23:30:00.000Z");
    expect(termEnd("2026-03-29T00:30:00.000Z", 120)).toBe("2036-03-29T00:30:00.000Z");
  });

  it("ends on the month's last day when it has no such day", () => {
    expect(termEnd("2026-01-31T09:00:00.000Z", 1)).toBe("2026-02-28T09:00:00.000Z");
    expect(termEnd("2027-01-31T09:00:00.000Z", 13)).toBe("2028-02-29T09:00:00.000Z");
    expect(termEnd("2026-08-31T09:00:00.000Z", 1)).toBe("2026-09-30T09:00:00.000Z");
  });

  it("counts in UTC whatever the process's zone", () => {
    process.env.TZ = "America/Los_Angeles";
    // 31 January 20:00 in Los Angeles is already 1 February in UTC.
    expect(termEnd("2026-02-01T04:00:00.000Z", 1)).toBe("2026-03-01T04:00:00.000Z");
    expect(termEnd("2026-01-31T23:00:00.000Z", 1)).toBe("2026-02-28T23:00:00.000Z");
  });
});

describe("the calendar invite's times", () => {
  const session = (overrides: Partial<Session> = {}): Session => ({
    organisationId: "org-1",
    groupId: "group-1",
    id: "0b6f3f5e-9a51-4a8e-9d0c-1f2e3d4c5b6a",
    version: 1,
    title: "Monthly meeting",
    startLocal: "2026-10-24T23:30",
    timeZone: "Europe/London",
    durationMinutes: 150,
    duties: [],
    status: "scheduled",
    createdAt: "2026-06-01T09:00:00.000Z",
    updatedAt: "2026-06-01T09:00:00.000Z",
    ...overrides,
  });
  const lines = (overrides: Partial<Session> = {}) =>
    renderSessionIcs({
      session: session(overrides),
      groupName: "Carers' Circle",
      organiserEmail: "carers-circle@groups.convene.example",
      attendeeEmail: "member@example.org",
      method: "REQUEST",
    })
      .split("BEGIN:VEVENT\r\n")[1]!
      .split("\r\n")
      .filter((line) => /^(DTSTART|DTEND|DTSTAMP)/.test(line));

  it.each(["UTC", "America/Los_Angeles", "Asia/Kolkata"])(
    "show the session's clock in its TZID when the process runs in %s",
    (zone) => {
      process.env.TZ = zone;
      // 23:30 BST plus 150 real minutes is 01:00 GMT, the second 01:00 of the night the clocks go back.
      expect(lines()).toEqual([
        "DTSTAMP:20260601T090000Z",
        "DTSTART;TZID=Europe/London:20261024T233000",
        "DTEND;TZID=Europe/London:20261025T010000",
      ]);
      expect(lines({ timeZone: "UTC", startLocal: "2026-07-14T19:00", durationMinutes: 90 })).toEqual([
        "DTSTAMP:20260601T090000Z",
        "DTSTART:20260714T190000Z",
        "DTEND:20260714T203000Z",
      ]);
    },
  );

  it("stamps the version with its updatedAt in UTC, whatever offset it was written with", () => {
    expect(lines({ updatedAt: "2026-07-01T10:00:00+01:00" })[0]).toBe("DTSTAMP:20260701T090000Z");
  });

  it.each(["2026-02-30T10:00:00Z", "2026-07-01T10:00:00", "1 July 2026", ""])(
    "refuses an updatedAt that is not an ISO instant with an offset: %j",
    (updatedAt) => {
      expect(() => lines({ updatedAt })).toThrow(RangeError);
    },
  );
});
