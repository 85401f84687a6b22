import { describe, expect, it } from "vitest";
import { localDateTimeAt } from "#domain/local-time.ts";
import type { Member, QuietHours, ReminderPreference } from "#domain/member.ts";
import {
  deliveryKey,
  planReminders,
  reminderInstants,
  remindersDueAt,
  type PlannedReminder,
} from "#domain/reminder-plan.ts";
import { reminderScheduleName, scheduleNamePattern } from "#domain/schedule-name.ts";
import type { Session } from "#domain/session.ts";

// 2026 clock changes used throughout:
//   Europe/London     spring forward Sun 29 Mar 01:00 UTC (01:00 GMT → 02:00 BST)
//                     fall back      Sun 25 Oct 01:00 UTC (02:00 BST → 01:00 GMT)
//   America/New_York  spring forward Sun  8 Mar 07:00 UTC (02:00 EST → 03:00 EDT)
//                     fall back      Sun  1 Nov 06:00 UTC (02:00 EDT → 01:00 EST)

const hourMs = 3_600_000;
const longAgo = new Date("2026-01-01T00:00:00.000Z");
const twoDaysEmail: ReminderPreference = { channel: "email", offsetMinutes: 48 * 60 };
const twoHoursSms: ReminderPreference = { channel: "sms", offsetMinutes: 120 };
const nightQuiet: QuietHours = { start: "21:00", end: "08:00" };

function session(overrides: Partial<Session> = {}): Session {
  return {
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
    ...overrides,
  };
}

function member(overrides: Partial<Member> = {}): Member {
  return {
    organisationId: "org-1",
    id: "member-1",
    name: "Sam",
    email: "sam@example.org",
    phone: "+447700900123",
    reminders: [twoDaysEmail, twoHoursSms],
    unsubscribed: [],
    createdAt: "2026-01-01T00:00:00.000Z",
    ...overrides,
  };
}

/** The plan for one member's SMS reminders only, as sendAt instants. */
function smsSendTimes(s: Session, m: Member, now: Date = longAgo): string[] {
  return planReminders({ session: s, members: [m], now })
    .filter((reminder) => reminder.channel === "sms")
    .map((reminder) => reminder.sendAt);
}

describe("planReminders", () => {
  describe("an offset is real time before the start, across clock changes", () => {
    it.each([
      {
        // Mon 30 Mar 19:00 BST = 18:00Z. 48 h earlier: Sat 28 Mar 18:00Z = 18:00 GMT (49 wall-clock hours).
        change: "London spring forward",
        timeZone: "Europe/London",
        startLocal: "2026-03-30T19:00",
        start: "2026-03-30T18:00:00.000Z",
        sendAt: "2026-03-28T18:00:00.000Z",
      },
      {
        // Mon 26 Oct 19:00 GMT = 19:00Z. 48 h earlier: Sat 24 Oct 19:00Z = 20:00 BST (47 wall-clock hours).
        change: "London fall back",
        timeZone: "Europe/London",
        startLocal: "2026-10-26T19:00",
        start: "2026-10-26T19:00:00.000Z",
        sendAt: "2026-10-24T19:00:00.000Z",
      },
      {
        // Mon 9 Mar 19:00 EDT = 23:00Z. 48 h earlier: Sat 7 Mar 23:00Z = 18:00 EST (49 wall-clock hours).
        change: "New York spring forward",
        timeZone: "America/New_York",
        startLocal: "2026-03-09T19:00",
        start: "2026-03-09T23:00:00.000Z",
        sendAt: "2026-03-07T23:00:00.000Z",
      },
      {
        // Mon 2 Nov 19:00 EST = Tue 3 Nov 00:00Z. 48 h earlier: Sun 1 Nov 00:00Z = Sat 31 Oct 20:00 EDT (47 wall-clock hours).
        change: "New York fall back",
        timeZone: "America/New_York",
        startLocal: "2026-11-02T19:00",
        start: "2026-11-03T00:00:00.000Z",
        sendAt: "2026-11-01T00:00:00.000Z",
      },
    ])("48 h email on the Monday after the $change", ({ timeZone, startLocal, start, sendAt }) => {
      const plan = planReminders({
        session: session({ timeZone, startLocal }),
        members: [member({ reminders: [twoDaysEmail] })],
        now: longAgo,
      });
      expect(plan).toEqual([{ memberId: "member-1", channel: "email", offsetMinutes: 2880, sendAt }]);
      expect(Date.parse(start) - Date.parse(sendAt)).toBe(48 * hourMs);
    });

    // What the API says of offsetMinutes: "1 day before" (1440) is 24 real hours, so it goes at
    // 18:00 or 20:00 on the wall clock for a 19:00 session the day the clocks change.
    it.each([
      ["Europe/London", "2026-03-29T19:00", "2026-03-28T18:00"],
      ["Europe/London", "2026-10-25T19:00", "2026-10-24T20:00"],
      ["America/New_York", "2026-03-08T19:00", "2026-03-07T18:00"],
      ["America/New_York", "2026-11-01T19:00", "2026-10-31T20:00"],
    ])("a 1440-minute reminder for %s %s goes at %s, wall clock", (timeZone, startLocal, wallClock) => {
      const [reminder] = planReminders({
        session: session({ timeZone, startLocal }),
        members: [member({ reminders: [{ channel: "email", offsetMinutes: 1440 }] })],
        now: longAgo,
      });
      expect(localDateTimeAt(new Date(reminder!.sendAt), timeZone)).toBe(wallClock);
    });

    it("sends a 2 h SMS two hours before, beside the 48 h email", () => {
      // Mon 30 Mar 19:00 BST = 18:00Z; the SMS goes at 17:00 BST = 16:00Z.
      expect(planReminders({ session: session(), members: [member()], now: longAgo })).toEqual([
        { memberId: "member-1", channel: "email", offsetMinutes: 2880, sendAt: "2026-03-28T18:00:00.000Z" },
        { memberId: "member-1", channel: "sms", offsetMinutes: 120, sendAt: "2026-03-30T16:00:00.000Z" },
      ]);
    });
  });

  describe("an SMS due in quiet hours moves earlier, to the minute before they began", () => {
    const sleeper = member({ quietHours: nightQuiet });

    it("from 06:30 to 20:59 the evening before, across midnight", () => {
      // Wed 15 Apr 08:30 BST = 07:30Z; due 06:30 BST (05:30Z), inside 21:00–08:00 that began
      // Tue 14 Apr 21:00 BST; so 20:59 BST = 19:59Z.
      expect(smsSendTimes(session({ startLocal: "2026-04-15T08:30" }), sleeper)).toEqual([
        "2026-04-14T19:59:00.000Z",
      ]);
    });

    it("from 23:00 to 20:59 the same evening", () => {
      // Wed 15 Apr 19:00 BST, 20 h before = Tue 14 Apr 23:00 BST; window began 21:00 that evening.
      const lateSms = member({
        quietHours: nightQuiet,
        reminders: [{ channel: "sms", offsetMinutes: 20 * 60 }],
      });
      expect(smsSendTimes(session({ startLocal: "2026-04-15T19:00" }), lateSms)).toEqual([
        "2026-04-14T19:59:00.000Z",
      ]);
    });

    it("counts the start of the window as quiet and its end as not", () => {
      // Due exactly 21:00 BST (20:00Z) moves to 20:59 BST; due exactly 08:00 BST (07:00Z) stays.
      expect(smsSendTimes(session({ startLocal: "2026-04-15T23:00" }), sleeper)).toEqual([
        "2026-04-15T19:59:00.000Z",
      ]);
      expect(smsSendTimes(session({ startLocal: "2026-04-15T10:00" }), sleeper)).toEqual([
        "2026-04-15T07:00:00.000Z",
      ]);
    });

    it("handles a window within one day", () => {
      // Quiet 13:00–15:00; due 14:00 BST moves to 12:59 BST = 11:59Z.
      const napper = member({ quietHours: { start: "13:00", end: "15:00" } });
      expect(smsSendTimes(session({ startLocal: "2026-04-15T16:00" }), napper)).toEqual([
        "2026-04-15T11:59:00.000Z",
      ]);
    });

    it("treats an empty window (start = end) as no quiet hours", () => {
      const noQuiet = member({ quietHours: { start: "21:00", end: "21:00" } });
      expect(smsSendTimes(session({ startLocal: "2026-04-15T08:30" }), noQuiet)).toEqual([
        "2026-04-15T05:30:00.000Z",
      ]);
    });

    it("leaves email alone", () => {
      const emailAt0630 = member({
        quietHours: nightQuiet,
        reminders: [{ channel: "email", offsetMinutes: 120 }],
      });
      const plan = planReminders({
        session: session({ startLocal: "2026-04-15T08:30" }),
        members: [emailAt0630],
        now: longAgo,
      });
      expect(plan.map((reminder) => reminder.sendAt)).toEqual(["2026-04-15T05:30:00.000Z"]);
    });

    it("across London's clocks going back", () => {
      // Sun 25 Oct 09:00 GMT = 09:00Z; due 07:00 GMT (07:00Z). The window began Sat 24 Oct
      // 21:00 BST = 20:00Z, so 20:59 BST = 19:59Z (11 h 01 min of real time earlier).
      expect(smsSendTimes(session({ startLocal: "2026-10-25T09:00" }), sleeper)).toEqual([
        "2026-10-24T19:59:00.000Z",
      ]);
    });

    it("across London's clocks going forward", () => {
      // Sun 29 Mar 09:00 BST = 08:00Z; due 07:00 BST (06:00Z). The window began Sat 28 Mar
      // 21:00 GMT = 21:00Z, so 20:59 GMT = 20:59Z.
      expect(smsSendTimes(session({ startLocal: "2026-03-29T09:00" }), sleeper)).toEqual([
        "2026-03-28T20:59:00.000Z",
      ]);
    });

    it("across New York's clocks going back", () => {
      // Sun 1 Nov 09:00 EST = 14:00Z; due 07:00 EST (12:00Z). The window began Sat 31 Oct
      // 21:00 EDT = Sun 1 Nov 01:00Z, so 20:59 EDT = 00:59Z.
      const s = session({ timeZone: "America/New_York", startLocal: "2026-11-01T09:00" });
      expect(smsSendTimes(s, sleeper)).toEqual(["2026-11-01T00:59:00.000Z"]);
    });

    it("to before the jump when the window's start is skipped by spring forward", () => {
      // Quiet 01:30–08:00. Sun 29 Mar 04:10 BST = 03:10Z; due 02:10 BST (01:10Z), inside the
      // window, which began when the clocks jumped at 01:00Z. Reading 01:30 forward (02:30 BST =
      // 01:30Z) would move the SMS later; reading it backward gives 00:30Z, so 00:29 GMT.
      const earlySleeper = member({ quietHours: { start: "01:30", end: "08:00" } });
      const [sendAt] = smsSendTimes(session({ startLocal: "2026-03-29T04:10" }), earlySleeper);
      expect(sendAt).toBe("2026-03-29T00:29:00.000Z");
    });

    it("never to after the session start", () => {
      // Wed 15 Apr 22:00 BST = 21:00Z; a 30 min SMS is due 21:30 BST, moved to 20:59 BST = 19:59Z.
      const lastMinute = member({
        quietHours: nightQuiet,
        reminders: [{ channel: "sms", offsetMinutes: 30 }],
      });
      const s = session({ startLocal: "2026-04-15T22:00" });
      const sendTimes = smsSendTimes(s, lastMinute);
      expect(sendTimes).toEqual(["2026-04-15T19:59:00.000Z"]);
      expect(sendTimes.every((sendAt) => Date.parse(sendAt) < Date.parse("2026-04-15T21:00:00.000Z"))).toBe(
        true,
      );
    });

    it("and is dropped if that earlier time has passed, rather than sent in the night", () => {
      // Due 06:30 BST Wed 15 Apr, moved to 20:59 BST Tue 14 Apr; now is 21:00 BST Tue (20:00Z).
      const now = new Date("2026-04-14T20:00:00.000Z");
      expect(smsSendTimes(session({ startLocal: "2026-04-15T08:30" }), sleeper, now)).toEqual([]);
    });
  });

  describe("who gets what", () => {
    it("skips channels the member unsubscribed from", () => {
      const noEmail = member({ unsubscribed: ["email"] });
      const plan = planReminders({ session: session(), members: [noEmail], now: longAgo });
      expect(plan.map((reminder) => reminder.channel)).toEqual(["sms"]);
      const neither = member({ unsubscribed: ["email", "sms"] });
      expect(planReminders({ session: session(), members: [neither], now: longAgo })).toEqual([]);
    });

    it("skips email to an address that bounced or drew a complaint, and keeps SMS", () => {
      for (const reason of ["bounced", "complained"] as const) {
        const bounced = member({ emailUndeliverable: { reason, since: "2026-02-01T10:00:00.000Z" } });
        const plan = planReminders({ session: session(), members: [bounced], now: longAgo });
        expect(plan.map((reminder) => reminder.channel)).toEqual(["sms"]);
      }
    });

    it("skips SMS for a member with no phone", () => {
      const { phone: _phone, ...withoutPhone } = member();
      const plan = planReminders({ session: session(), members: [withoutPhone], now: longAgo });
      expect(plan.map((reminder) => reminder.channel)).toEqual(["email"]);
    });

    it("plans nothing for a cancelled session", () => {
      expect(
        planReminders({ session: session({ status: "cancelled" }), members: [member()], now: longAgo }),
      ).toEqual([]);
    });

    it("plans each distinct channel and offset once", () => {
      const repeats = member({
        reminders: [
          twoDaysEmail,
          twoHoursSms,
          twoDaysEmail,
          { channel: "email", offsetMinutes: 120 },
          twoHoursSms,
        ],
      });
      const plan = planReminders({ session: session(), members: [repeats], now: longAgo });
      expect(plan.map(({ channel, offsetMinutes }) => `${channel}:${offsetMinutes}`)).toEqual([
        "email:2880",
        "email:120",
        "sms:120",
      ]);
    });

    it("ignores an offset that would fall after the start", () => {
      const backwards = member({ reminders: [{ channel: "email", offsetMinutes: -30 }] });
      expect(planReminders({ session: session(), members: [backwards], now: longAgo })).toEqual([]);
    });
  });

  describe("never late", () => {
    // Email at 2026-03-28T18:00Z, SMS at 2026-03-30T16:00Z.
    it("drops reminders whose time has passed", () => {
      const now = new Date("2026-03-29T12:00:00.000Z");
      const plan = planReminders({ session: session(), members: [member()], now });
      expect(plan.map((reminder) => reminder.sendAt)).toEqual(["2026-03-30T16:00:00.000Z"]);
    });

    it("drops a reminder due exactly now and keeps one due a millisecond later", () => {
      const at = (now: string): string[] =>
        planReminders({
          session: session(),
          members: [member({ reminders: [twoDaysEmail] })],
          now: new Date(now),
        }).map((reminder) => reminder.sendAt);
      expect(at("2026-03-28T18:00:00.000Z")).toEqual([]);
      expect(at("2026-03-28T17:59:59.999Z")).toEqual(["2026-03-28T18:00:00.000Z"]);
    });
  });

  it("orders by sendAt, then member, then channel", () => {
    const twoHoursEmail: ReminderPreference = { channel: "email", offsetMinutes: 120 };
    const b = member({ id: "member-b", reminders: [twoHoursEmail, twoDaysEmail] });
    const a = member({ id: "member-a", reminders: [twoHoursSms, twoHoursEmail] });
    const plan = planReminders({ session: session(), members: [b, a], now: longAgo });
    expect(plan.map(({ memberId, channel, sendAt }) => `${sendAt} ${memberId} ${channel}`)).toEqual([
      "2026-03-28T18:00:00.000Z member-b email",
      "2026-03-30T16:00:00.000Z member-a email",
      "2026-03-30T16:00:00.000Z member-a sms",
      "2026-03-30T16:00:00.000Z member-b email",
    ]);
  });
});

describe("reminderInstants and remindersDueAt", () => {
  const plan: PlannedReminder[] = [
    { memberId: "member-a", channel: "email", offsetMinutes: 2880, sendAt: "2026-03-28T18:00:00.000Z" },
    { memberId: "member-a", channel: "sms", offsetMinutes: 120, sendAt: "2026-03-30T16:00:00.000Z" },
    { memberId: "member-b", channel: "email", offsetMinutes: 120, sendAt: "2026-03-30T16:00:00.000Z" },
  ];

  it("lists each instant once, in order", () => {
    expect(reminderInstants([...plan].reverse())).toEqual([
      "2026-03-28T18:00:00.000Z",
      "2026-03-30T16:00:00.000Z",
    ]);
  });

  it("picks the reminders due at exactly one instant, given as text or Date", () => {
    expect(remindersDueAt(plan, "2026-03-30T16:00:00.000Z")).toEqual([plan[1], plan[2]]);
    expect(remindersDueAt(plan, new Date("2026-03-28T18:00:00.000Z"))).toEqual([plan[0]]);
    expect(remindersDueAt(plan, "2026-03-30T16:00:00.001Z")).toEqual([]);
  });
});

describe("deliveryKey", () => {
  const s = session({ version: 3 });
  const reminder = { memberId: "member-1", channel: "sms", offsetMinutes: 120 } as const;

  it("names organisation, session, version, member, channel and offset", () => {
    expect(deliveryKey(s, reminder)).toBe("reminder#org-1#session-1#v3#member-1#sms#120m");
  });

  it("is the same for the same message and different for any other", () => {
    const key = deliveryKey(s, reminder);
    expect(deliveryKey(session({ version: 3 }), { ...reminder })).toBe(key);
    const others = [
      deliveryKey(session({ version: 4 }), reminder),
      deliveryKey(session({ organisationId: "org-2", version: 3 }), reminder),
      deliveryKey(session({ id: "session-2", version: 3 }), reminder),
      deliveryKey(s, { ...reminder, memberId: "member-2" }),
      deliveryKey(s, { ...reminder, channel: "email" }),
      deliveryKey(s, { ...reminder, offsetMinutes: 60 }),
    ];
    expect(new Set([key, ...others]).size).toBe(others.length + 1);
  });

  it("keeps ids containing the separator apart", () => {
    expect(deliveryKey(session({ organisationId: "a#b", id: "c" }), reminder)).not.toBe(
      deliveryKey(session({ organisationId: "a", id: "b#c" }), reminder),
    );
  });

  it("stays within 200 characters, deterministically, for long ids", () => {
    const long = session({ organisationId: "o".repeat(150), id: "s".repeat(150) });
    const key = deliveryKey(long, reminder);
    expect(key.length).toBeLessThanOrEqual(200);
    expect(deliveryKey(long, reminder)).toBe(key);
    expect(deliveryKey({ ...long, version: 2 }, reminder)).not.toBe(key);
  });
});

describe("reminderScheduleName", () => {
  const ref = {
    organisationId: "8f14e45f-ceea-467f-a0e6-1c3a2b6d9e01",
    sessionId: "c9f0f895-fb98-4b91-99f5-1a2b3c4d5e6f",
    sessionVersion: 2,
    dueAt: "2026-03-28T18:00:00.000Z",
  };

  it("is deterministic, readable by due time, and within Scheduler's limits", () => {
    const name = reminderScheduleName(ref);
    expect(reminderScheduleName({ ...ref })).toBe(name);
    expect(reminderScheduleName({ ...ref, dueAt: new Date(ref.dueAt) })).toBe(name);
    expect(name).toMatch(/^rem-20260328T180000Z-[0-9a-f]{40}$/);
    expect(name).toMatch(scheduleNamePattern);
    expect(name.length).toBeLessThanOrEqual(64);
  });

  it("differs per version, instant, session and organisation", () => {
    const names = [
      reminderScheduleName(ref),
      reminderScheduleName({ ...ref, sessionVersion: 3 }),
      reminderScheduleName({ ...ref, dueAt: "2026-03-30T16:00:00.000Z" }),
      reminderScheduleName({ ...ref, sessionId: "another-session" }),
      reminderScheduleName({ ...ref, organisationId: "another-organisation" }),
    ];
    expect(new Set(names).size).toBe(names.length);
  });

  it("stays within limits for ids of any length", () => {
    const name = reminderScheduleName({
      ...ref,
      organisationId: "o".repeat(500),
      sessionId: "s#/ é".repeat(100),
    });
    expect(name).toMatch(scheduleNamePattern);
  });

  it("refuses an invalid due time", () => {
    expect(() => reminderScheduleName({ ...ref, dueAt: "not a time" })).toThrow(RangeError);
  });
});
