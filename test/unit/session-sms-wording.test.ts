import { describe, expect, it } from "vitest";
import type { Member } from "#domain/member.ts";
import type { Session } from "#domain/session.ts";
import { sessionSms } from "#messages/sessions/session-notice.ts";
import { optOutHint, renderSessionReminderSms, sessionSmsSubject } from "#messages/sessions/session-sms.ts";
import { measureSms, smsSegments } from "#messages/sms-segments.ts";

// What a text says: by default neither the group's name nor the session's title, which often
// say what condition brings members together; an organisation may choose to name them.

const session: Session = {
  organisationId: "org-1",
  groupId: "group-1",
  id: "session-1",
  version: 1,
  title: "Bipolar support evening",
  startLocal: "2026-07-14T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  venue: { name: "St Mary's Hall" },
  duties: [],
  status: "scheduled",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};
const member: Member = {
  organisationId: "org-1",
  id: "member-1",
  name: "Ada",
  email: "ada@example.org",
  phone: "+447700900123",
  reminders: [{ channel: "sms", offsetMinutes: 60 }],
  unsubscribed: [],
  createdAt: "2026-01-01T00:00:00.000Z",
};
const startsAtLocal = "Tue 14 Jul 19:00";

describe("the neutral wording (the default)", () => {
  it.each([
    ["reminder", `Reminder: your group meets Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`],
    ["moved", `Changed: your group now meets Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`],
    ["cancelled", `Cancelled: your group will not meet Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`],
  ] as const)("says when and where a %s is, and nothing of the group or title", (notice, text) => {
    const sms = renderSessionReminderSms({ session, startsAtLocal, notice });
    expect(sms).toBe(text);
    expect(sms).not.toMatch(/Bipolar|support/);
    expect(measureSms(sms)).toMatchObject({ encoding: "GSM-7", segments: 1 });
  });

  it("is what a member is texted, addressed to their number and carrying whom it is for", () => {
    const sms = sessionSms("reminder", session, member);
    expect(sms).toEqual({
      to: "+447700900123",
      body: `Reminder: your group meets Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`,
      recipient: { organisationId: "org-1", groupId: "group-1", memberId: "member-1" },
    });
  });

  it("gives up the opt-out hint before the start or the place when a long place name leaves no room", () => {
    const venue = {
      name: "The Community Resource Centre, Second Floor, Meeting Room Three, Entrance via the Car Park, Ring the Bell",
    };
    const sms = renderSessionReminderSms({ session: { venue }, startsAtLocal });
    expect(sms).toBe(`Reminder: your group meets Tue 14 Jul 19:00 at ${venue.name}.`);
    expect(smsSegments(sms)).toBe(1);
  });
});

describe("naming the group (an organisation's choice)", () => {
  const subject = sessionSmsSubject("Riverside Circle", session.title);

  it("names the group, then the title", () => {
    expect(renderSessionReminderSms({ session, startsAtLocal, subject })).toBe(
      `Reminder: Riverside Circle: Bipolar support evening, Tue 14 Jul 19:00 at St Mary's Hall. ${optOutHint}`,
    );
  });

  it("shortens the title, from its end, before dropping the start, the place or the opt-out hint", () => {
    const long = sessionSmsSubject(
      "Riverside Circle",
      "Bipolar support evening with a guest speaker on sleep, medication and work, and time to talk",
    );
    const venue = { name: "St Mary's Hall, Church Street" };
    const sms = renderSessionReminderSms({ session: { venue }, startsAtLocal, subject: long });
    expect(smsSegments(sms)).toBe(1);
    expect(sms).toMatch(
      /^Reminder: Riverside Circle: Bipolar support evening with .*\.\.\., Tue 14 Jul 19:00 at St Mary's Hall, Church Street\. Reply STOP to opt out$/,
    );
    expect(sms.length).toBeLessThanOrEqual(160);
  });
});
