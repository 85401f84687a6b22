import { describe, expect, it } from "vitest";
import { initialPattern, patternFrom, rruleOf } from "../src/group/series-pattern.ts";

// The series form's plain controls and the RRULE they stand for.

describe("a series pattern's RRULE", () => {
  it("writes weekly days in the week's order, with the interval only when not 1", () => {
    expect(rruleOf({ ...initialPattern, days: ["TH", "TU"] })).toBe("FREQ=WEEKLY;BYDAY=TU,TH");
    expect(rruleOf({ ...initialPattern, interval: 2, days: ["TH"] })).toBe("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH");
    // No day chosen: the API meets on the first date's weekday.
    expect(rruleOf(initialPattern)).toBe("FREQ=WEEKLY");
  });

  it("writes the nth or last weekday, and a day of the month", () => {
    expect(rruleOf({ ...initialPattern, repeats: "monthly-weekday", nth: -1, weekday: "SU" })).toBe(
      "FREQ=MONTHLY;BYDAY=-1SU",
    );
    expect(
      rruleOf({ ...initialPattern, repeats: "monthly-weekday", nth: 2, weekday: "TU", interval: 3 }),
    ).toBe("FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU");
    expect(rruleOf({ ...initialPattern, repeats: "monthly-day", monthDay: 15 })).toBe(
      "FREQ=MONTHLY;BYMONTHDAY=15",
    );
  });

  it("ends on a date (UNTIL as a date) or after a count", () => {
    expect(rruleOf({ ...initialPattern, days: ["MO"], ends: "on", until: "2027-03-31" })).toBe(
      "FREQ=WEEKLY;BYDAY=MO;UNTIL=20270331",
    );
    expect(rruleOf({ ...initialPattern, days: ["MO"], ends: "after", count: 6 })).toBe(
      "FREQ=WEEKLY;BYDAY=MO;COUNT=6",
    );
  });

  it("follows the first date: its weekday, its week of the month (the last when no later one fits), its day", () => {
    // Tuesday 15 December 2026: the third Tuesday; Sunday 27 December: the last Sunday.
    expect(patternFrom("2026-12-15", initialPattern)).toMatchObject({
      days: ["TU"],
      weekday: "TU",
      nth: 3,
      monthDay: 15,
    });
    expect(patternFrom("2026-12-27", initialPattern)).toMatchObject({ weekday: "SU", nth: -1 });
    expect(patternFrom("", initialPattern)).toBe(initialPattern);
  });
});
