import { describe, expect, it } from "vitest";
import type { Member } from "#domain/member.ts";
import { planReminders } from "#domain/reminder-plan.ts";
import type { Session } from "#domain/session.ts";
import { quietWindowAt, smsSendAt, urgentChangeNoticeMs } from "#domain/sms-quiet-hours.ts";

// London is on GMT in January (local = UTC) and on BST from 29 March 2026 (local = UTC + 1).
const london = "Europe/London";
const at = (iso: string) => new Date(iso);

describe("the group's quiet hours (21:00–08:00 in its zone)", () => {
  it.each([
    ["20:59 is before them", "2026-01-14T20:59:00Z", undefined],
    ["21:00 is in them", "2026-01-14T21:00:00Z", "2026-01-15T08:00:00.000Z"],
    ["03:00 is in them", "2026-01-15T03:00:00Z", "2026-01-15T08:00:00.000Z"],
    ["07:59 is in them", "2026-01-15T07:59:00Z", "2026-01-15T08:00:00.000Z"],
    ["08:00 is after them", "2026-01-15T08:00:00Z", undefined],
    ["22:30 BST is 21:30 UTC", "2026-07-14T21:30:00Z", "2026-07-15T07:00:00.000Z"],
  ])("%s", (_name, instant, ends) => {
    expect(quietWindowAt(at(instant), london)?.ends.toISOString()).toBe(ends);
  });

  it("end at 08:00 on the morning the clocks go forward, an hour fewer of them", () => {
    // Sat 28 Mar 23:00 GMT; the window ends Sun 29 Mar 08:00 BST = 07:00 UTC.
    expect(quietWindowAt(at("2026-03-28T23:00:00Z"), london)?.ends.toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
  });

  it("are read in the group's zone, not the server's", () => {
    // 02:00 UTC is 21:00 the evening before in New York (EST, UTC − 5).
    expect(quietWindowAt(at("2026-01-15T02:00:00Z"), "America/New_York")?.ends.toISOString()).toBe(
      "2026-01-15T13:00:00.000Z",
    );
    // The same instant is 11:00 in Tokyo (UTC + 9).
    expect(quietWindowAt(at("2026-01-15T02:00:00Z"), "Asia/Tokyo")).toBeUndefined();
  });
});

describe("smsSendAt", () => {
  const sessionAt = at("2026-01-15T19:00:00Z");

  it("sends at once outside quiet hours", () => {
    const due = at("2026-01-14T18:00:00Z");
    expect(smsSendAt(due, london, sessionAt, "reminder")).toEqual(due);
    expect(smsSendAt(due, london, sessionAt, "change")).toEqual(due);
  });

  it("has a reminder due at night wait until 08:00", () => {
    expect(smsSendAt(at("2026-01-14T23:00:00Z"), london, sessionAt, "reminder").toISOString()).toBe(
      "2026-01-15T08:00:00.000Z",
    );
  });

  it("sends a reminder the minute before quiet hours began when 08:00 would be after the start", () => {
    // A 07:30 session, its reminder due at 06:30.
    expect(
      smsSendAt(at("2026-01-15T06:30:00Z"), london, at("2026-01-15T07:30:00Z"), "reminder").toISOString(),
    ).toBe("2026-01-14T20:59:00.000Z");
  });

  it("has a change told at night wait until 08:00 when the session is far enough off", () => {
    expect(smsSendAt(at("2026-01-14T22:00:00Z"), london, sessionAt, "change").toISOString()).toBe(
      "2026-01-15T08:00:00.000Z",
    );
  });

  it("texts a change at once when waiting would leave less than three hours before the session", () => {
    expect(urgentChangeNoticeMs).toBe(3 * 3_600_000);
    const told = at("2026-01-14T22:00:00Z");
    // 08:00 + 2h59: urgent; 08:00 + 3h: waits.
    expect(smsSendAt(told, london, at("2026-01-15T10:59:00Z"), "change")).toEqual(told);
    expect(smsSendAt(told, london, at("2026-01-15T11:00:00Z"), "change").toISOString()).toBe(
      "2026-01-15T08:00:00.000Z",
    );
  });
});

describe("planned SMS reminders", () => {
  const session: Session = {
    organisationId: "org-1",
    groupId: "group-1",
    id: "session-1",
    version: 1,
    title: "Carers' morning",
    startLocal: "2026-01-15T10:00",
    timeZone: london,
    durationMinutes: 90,
    duties: [],
    status: "scheduled",
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
  const member = (overrides: Partial<Member> = {}): Member => ({
    organisationId: "org-1",
    id: "member-1",
    name: "Ada",
    email: "ada@example.org",
    phone: "+447700900123",
    reminders: [
      { channel: "sms", offsetMinutes: 12 * 60 },
      { channel: "email", offsetMinutes: 12 * 60 },
    ],
    unsubscribed: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  });
  const plan = (m: Member) =>
    Object.fromEntries(
      planReminders({ session, members: [m], now: at("2026-01-01T00:00:00Z") }).map((r) => [
        r.channel,
        r.sendAt,
      ]),
    );

  it("wait for the group's quiet hours to end; email does not", () => {
    // Due at 22:00, 12 hours before a 10:00 session.
    expect(plan(member())).toEqual({ email: "2026-01-14T22:00:00.000Z", sms: "2026-01-15T08:00:00.000Z" });
  });

  it("keep to the member's own quiet hours where they chose some (earlier, never later)", () => {
    expect(plan(member({ quietHours: { start: "21:30", end: "07:00" } })).sms).toBe(
      "2026-01-14T21:29:00.000Z",
    );
  });
});
