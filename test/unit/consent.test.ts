import { describe, expect, it } from "vitest";
import { smsConsentOf, takesSms, unversionedWording, type Consent } from "#domain/consent.ts";
import type { Member } from "#domain/member.ts";
import { planReminders } from "#domain/reminder-plan.ts";
import type { Session } from "#domain/session.ts";

const withdrawn: Consent = {
  state: "withdrawn",
  at: "2026-02-01T10:00:00.000Z",
  how: "keyword",
  wordingVersion: "v0",
};
const given: Consent = {
  state: "given",
  at: "2026-02-02T10:00:00.000Z",
  how: "keyword",
  wordingVersion: "v0",
};

const member = (overrides: Partial<Member> = {}): Member => ({
  organisationId: "org-1",
  id: "member-1",
  name: "Sam",
  email: "sam@example.org",
  phone: "+447700900123",
  reminders: [
    { channel: "email", offsetMinutes: 2880 },
    { channel: "sms", offsetMinutes: 120 },
  ],
  unsubscribed: [],
  createdAt: "2026-01-01T00:00:00.000Z",
  ...overrides,
});

const session: Session = {
  organisationId: "org-1",
  groupId: "group-1",
  id: "session-1",
  version: 1,
  title: "Carers' evening",
  startLocal: "2026-03-30T19:00",
  timeZone: "Europe/London",
  durationMinutes: 90,
  duties: [],
  status: "scheduled",
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
};

const channelsPlanned = (m: Member) =>
  planReminders({ session, members: [m], now: new Date("2026-01-01T00:00:00.000Z") }).map((r) => r.channel);

describe("SMS consent", () => {
  it("counts a choice of SMS made before consent was recorded as given on the form, wording v0", () => {
    expect(smsConsentOf(member())).toEqual({
      state: "given",
      at: "2026-01-01T00:00:00.000Z",
      how: "form",
      wordingVersion: unversionedWording,
    });
    expect(takesSms(member())).toBe(true);
  });

  it("has none for a member who never chose SMS, or has no number", () => {
    const emailOnly = member({ reminders: [{ channel: "email", offsetMinutes: 60 }] });
    expect(smsConsentOf(emailOnly)).toBeUndefined();
    expect(takesSms(emailOnly)).toBe(false);
    const { phone: _phone, ...noPhone } = member();
    expect(smsConsentOf(noPhone)).toBeUndefined();
    expect(takesSms(noPhone)).toBe(false);
  });

  it("goes by the latest record when there is one", () => {
    expect(smsConsentOf(member({ smsConsent: withdrawn }))).toEqual(withdrawn);
    expect(takesSms(member({ smsConsent: withdrawn }))).toBe(false);
    expect(takesSms(member({ smsConsent: given }))).toBe(true);
  });

  it("sends no SMS to a number whose consent is withdrawn, or whose SMS is unsubscribed", () => {
    expect(takesSms(member({ smsConsent: given, unsubscribed: ["sms"] }))).toBe(false);
    expect(takesSms({ ...member({ smsConsent: given }), phone: undefined })).toBe(false);
  });

  it("plans no SMS reminder for a member who withdrew consent, and their email ones still", () => {
    expect(channelsPlanned(member())).toEqual(["email", "sms"]);
    expect(channelsPlanned(member({ smsConsent: withdrawn }))).toEqual(["email"]);
    expect(channelsPlanned(member({ smsConsent: given }))).toEqual(["email", "sms"]);
  });
});
