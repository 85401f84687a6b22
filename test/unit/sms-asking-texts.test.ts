import { describe, expect, it } from "vitest";
import { smsAnswerMenu, smsAnswerReply, type SmsAnswerNote } from "#messages/sms/answer-replies.ts";
import { renderRoleSms } from "#messages/roles/role-sms.ts";
import { renderSessionReminderSms, rsvpSmsAsk } from "#messages/sessions/session-sms.ts";
import { smsSegments } from "#messages/sms-segments.ts";

// The texts that ask a question by text, and the replies to an answer: each one segment.

describe("a session reminder that asks who is coming", () => {
  const session = { venue: { name: "St Mary's Hall" } } as const;

  it("ends with the ask, in one segment, opt-out hint kept when it fits", () => {
    const text = renderSessionReminderSms({ session, startsAtLocal: "Tue 14 Jul 19:00", asksRsvp: true });
    expect(text).toBe(
      `Reminder: your group meets Tue 14 Jul 19:00 at St Mary's Hall. Reply STOP to opt out. ${rsvpSmsAsk}`,
    );
    expect(smsSegments(text)).toBe(1);
  });

  it("keeps the ask and drops the opt-out hint first when the place is long", () => {
    const venue = { name: "The Riverside Community Centre, Upper Hall (side door by the car park)" };
    const text = renderSessionReminderSms({
      session: { venue },
      startsAtLocal: "Tue 14 Jul 19:00",
      asksRsvp: true,
    });
    expect(text.endsWith(rsvpSmsAsk)).toBe(true);
    expect(smsSegments(text)).toBe(1);
  });

  it("does not ask when the session does not", () => {
    const text = renderSessionReminderSms({ session, startsAtLocal: "Tue 14 Jul 19:00" });
    expect(text).not.toContain("YES");
  });
});

describe("texts about a vacancy", () => {
  it.each(["call", "offer"] as const)(
    "a %s fits one segment and names the role, not the group",
    (purpose) => {
      const text = renderRoleSms(purpose, "Venue and bookings");
      expect(text).toContain("Venue and bookings");
      expect(text).toMatch(/Reply STOP to opt out\. Reply YES/);
      expect(smsSegments(text)).toBe(1);
    },
  );

  it("keeps the question when a long role name leaves no room for the opt-out hint", () => {
    const text = renderRoleSms(
      "offer",
      "Safeguarding, signposting and wellbeing lead for the evening sessions",
    );
    expect(text.endsWith("Reply YES or NO")).toBe(true);
    expect(smsSegments(text)).toBe(1);
  });
});

describe("replies to an answer by text", () => {
  const notes: SmsAnswerNote[] = [
    "coming",
    "waiting",
    "not-coming",
    "role-filled",
    "session-cancelled",
    "session-past",
  ];
  it.each(notes)("%s fits one segment", (note) => {
    expect(smsSegments(smsAnswerReply(note))).toBe(1);
  });

  it("a menu numbers the questions in order", () => {
    expect(
      smsAnswerMenu([
        { kind: "rsvp", startsAtLocal: "Tue 14 Jul 19:00" },
        { kind: "call", roleName: "Refreshments" },
      ]),
    ).toBe(
      "Which is your answer for? Reply 1 for the session Tue 14 Jul 19:00, Reply 2 for the Refreshments role.",
    );
  });
});
