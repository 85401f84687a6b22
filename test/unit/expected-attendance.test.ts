import { describe, expect, it } from "vitest";
import {
  expectedAttendanceByMonth,
  shownExpectedVsAttended,
  totalOf,
  type ExpectedAttendanceMonth,
} from "#read-models/expected-attendance.ts";
import { healthFactsAt } from "#read-models/group-health.ts";
import { monthlyTrends } from "#read-models/monthly-trends.ts";
import { isHidden, shownCount, smallCountThreshold } from "#read-models/small-counts.ts";

const now = new Date("2030-03-20T12:00:00.000Z");
const hidden = { fewerThan: 3 };

describe("hiding small counts on organisation-level views", () => {
  it("shows 0, 1 and 2 as fewer than 3, and 3 and more exactly", () => {
    expect(smallCountThreshold).toBe(3);
    expect([0, 1, 2, 3, 4, 250].map(shownCount)).toEqual([hidden, hidden, hidden, 3, 4, 250]);
    expect([0, 2, 3].map((n) => isHidden(shownCount(n)))).toEqual([true, true, false]);
  });

  it("hides the expected and the attended counts each on its own; sessions are not people", () => {
    expect(shownExpectedVsAttended({ sessions: 1, expected: 2, attended: 7 })).toEqual({
      sessions: 1,
      expected: hidden,
      attended: 7,
    });
    expect(shownExpectedVsAttended({ sessions: 2, expected: 12, attended: 0 })).toEqual({
      sessions: 2,
      expected: 12,
      attended: hidden,
    });
    expect(shownExpectedVsAttended(undefined)).toBeNull();
  });
});

describe("the monthly attendance on the organisation's view", () => {
  it("hides the mean headcount of a month when fewer than 3 people came in all", () => {
    const trends = monthlyTrends(
      [
        { month: "2030-01", counters: { attendees: 2, sessionsCounted: 1 } },
        { month: "2030-02", counters: { attendees: 4, sessionsCounted: 2 } },
        { month: "2030-03", counters: { attendees: 0, sessionsCounted: 1 } },
      ],
      now,
    );
    expect(trends.slice(-3).map((t) => t.attendance)).toEqual([hidden, 2, hidden]);
    expect(trends[0]!.attendance).toBeNull();
  });
});

describe("expected against attended", () => {
  it("adds up each month's sessions by their local start month, from the window's first month", () => {
    const months = expectedAttendanceByMonth(
      [
        { startLocal: "2029-03-28T19:00", yes: 9, headcount: 9 }, // before the window
        { startLocal: "2030-03-04T19:00", yes: 8, headcount: 6 },
        { startLocal: "2029-11-30T23:30", yes: 1, headcount: 2 },
        { startLocal: "2030-03-11T19:00", yes: 5, headcount: 7 },
      ],
      "2029-04",
    );
    expect(months).toEqual([
      { month: "2029-11", sessions: 1, expected: 1, attended: 2 },
      { month: "2030-03", sessions: 2, expected: 13, attended: 13 },
    ]);
    expect(totalOf(months, "2029-12", "2030-03")).toEqual({ sessions: 2, expected: 13, attended: 13 });
    expect(totalOf(months, "2029-12", "2030-02")).toBeUndefined();
  });

  it("gives each month of the trends every group's sessions together, hiding a small month", () => {
    const riverside: ExpectedAttendanceMonth[] = [
      { month: "2030-02", sessions: 1, expected: 1, attended: 1 },
      { month: "2030-03", sessions: 4, expected: 30, attended: 24 },
    ];
    const harbour: ExpectedAttendanceMonth[] = [
      { month: "2030-02", sessions: 1, expected: 1, attended: 3 },
      { month: "2030-03", sessions: 1, expected: 2, attended: 2 },
    ];
    const trends = monthlyTrends([], now, [...riverside, ...harbour]);
    expect(trends).toHaveLength(12);
    expect(trends.slice(0, 10).every((t) => t.expectedVsAttended === null)).toBe(true);
    expect(trends.slice(-2).map((t) => [t.month, t.expectedVsAttended])).toEqual([
      // Two groups together still said yes fewer than 3 times in February: hidden; 4 came.
      ["2030-02", { sessions: 2, expected: hidden, attended: 4 }],
      ["2030-03", { sessions: 5, expected: 32, attended: 26 }],
    ]);
  });

  it("gives a group its sessions of the trends' 12 months, with its small counts hidden", () => {
    const group = {
      id: "g1",
      name: "Riverside",
      timeZone: "Europe/London",
      createdAt: "2029-01-01T00:00:00Z",
    };
    const at = "2030-03-19T12:00:00.000Z";
    const months = (...value: ExpectedAttendanceMonth[]) => ({ groupId: "g1", rsvps: { value, at } });
    const facts = healthFactsAt(
      group,
      months(
        { month: "2029-03", sessions: 4, expected: 40, attended: 40 }, // 13 months ago: out
        { month: "2029-04", sessions: 1, expected: 2, attended: 1 },
        { month: "2030-03", sessions: 1, expected: 0, attended: 1 },
      ),
      now,
    );
    expect(facts.expectedVsAttended).toEqual({ sessions: 2, expected: hidden, attended: hidden });
    expect(facts.updatedAt).toBe(at);
    const larger = healthFactsAt(
      group,
      months({ month: "2030-01", sessions: 3, expected: 14, attended: 11 }),
      now,
    );
    expect(larger.expectedVsAttended).toEqual({ sessions: 3, expected: 14, attended: 11 });
    expect(healthFactsAt(group, undefined, now).expectedVsAttended).toBeNull();
  });
});
