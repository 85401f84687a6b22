import { RRuleTemporal } from "rrule-temporal";
import { describe, expect, it } from "vitest";
import { DomainError } from "#domain/errors.ts";
import { checkRecurrence, type RecurrenceDraft } from "#domain/recurrence-checks.ts";
import { parseRecurrenceRule } from "#domain/recurrence-rule.ts";
import {
  nextOccurrences,
  occurrencesBetween,
  readRecurrenceLines,
  recurrenceLines,
  type RecurrenceSet,
} from "#domain/recurrence-set.ts";
import { describeRecurrence } from "#domain/recurrence-words.ts";
import { occurrenceSessionId } from "#domain/series.ts";

// A series' dates, expanded from its RFC 5545 rule in wall-clock arithmetic. The 2026 clock changes:
//   Europe/London     spring forward Sun 29 Mar 01:00 UTC (01:00 GMT → 02:00 BST)
//                     fall back      Sun 25 Oct 01:00 UTC (02:00 BST → 01:00 GMT)
//   America/New_York  spring forward Sun  8 Mar 07:00 UTC (02:00 EST → 03:00 EDT)
//                     fall back      Sun  1 Nov 06:00 UTC (02:00 EDT → 01:00 EST)

const now = new Date("2026-01-01T00:00:00Z");

const series = (startLocal: string, timeZone: string, rrule: string, more: Partial<RecurrenceDraft> = {}) =>
  checkRecurrence({ startLocal, timeZone, rrule, rdates: [], exdates: [], ...more }, now);

/** [local start, UTC instant] of each occurrence from `from` to `to`. */
const dates = (set: RecurrenceSet, from: string, to: string) =>
  occurrencesBetween(set, new Date(from), new Date(to)).map((o) => [o.startLocal, o.start.toISOString()]);

/** The invalid-input error a check throws, as [field, message]. */
const refusal = (check: () => unknown): [string | undefined, string] => {
  try {
    check();
  } catch (error) {
    if (error instanceof DomainError && error.kind === "invalid") return [error.field, error.message];
    throw error;
  }
  throw new Error("the check passed");
};

describe("a weekly series across the clock changes", () => {
  it("London: every Tuesday at 19:00 stays at 19:00 as summer time begins and ends", () => {
    const set = series("2026-03-17T19:00", "Europe/London", "FREQ=WEEKLY;BYDAY=TU");
    expect(dates(set, "2026-03-01T00:00Z", "2026-04-08T00:00Z")).toEqual([
      ["2026-03-17T19:00", "2026-03-17T19:00:00.000Z"],
      ["2026-03-24T19:00", "2026-03-24T19:00:00.000Z"],
      ["2026-03-31T19:00", "2026-03-31T18:00:00.000Z"],
      ["2026-04-07T19:00", "2026-04-07T18:00:00.000Z"],
    ]);
    expect(dates(set, "2026-10-19T00:00Z", "2026-11-04T00:00Z")).toEqual([
      ["2026-10-20T19:00", "2026-10-20T18:00:00.000Z"],
      ["2026-10-27T19:00", "2026-10-27T19:00:00.000Z"],
      ["2026-11-03T19:00", "2026-11-03T19:00:00.000Z"],
    ]);
  });

  it("London: a Sunday series meets at 19:00 on the very days the clocks change (last Sundays of March and October)", () => {
    const set = series("2026-03-22T19:00", "Europe/London", "FREQ=WEEKLY;BYDAY=SU");
    expect(dates(set, "2026-03-28T00:00Z", "2026-03-30T00:00Z")).toEqual([
      ["2026-03-29T19:00", "2026-03-29T18:00:00.000Z"],
    ]);
    expect(dates(set, "2026-10-24T00:00Z", "2026-10-26T00:00Z")).toEqual([
      ["2026-10-25T19:00", "2026-10-25T19:00:00.000Z"],
    ]);
  });

  it("New York: every Sunday at 19:00 on the second Sunday of March and the first of November", () => {
    const set = series("2026-03-01T19:00", "America/New_York", "FREQ=WEEKLY;BYDAY=SU");
    expect(dates(set, "2026-03-01T00:00Z", "2026-03-16T00:00Z")).toEqual([
      ["2026-03-01T19:00", "2026-03-02T00:00:00.000Z"],
      ["2026-03-08T19:00", "2026-03-08T23:00:00.000Z"],
      ["2026-03-15T19:00", "2026-03-15T23:00:00.000Z"],
    ]);
    expect(dates(set, "2026-10-25T00:00Z", "2026-11-10T00:00Z")).toEqual([
      ["2026-10-25T19:00", "2026-10-25T23:00:00.000Z"],
      ["2026-11-01T19:00", "2026-11-02T00:00:00.000Z"],
      ["2026-11-08T19:00", "2026-11-09T00:00:00.000Z"],
    ]);
  });

  it("meets once at a time the clocks read twice (01:30 as they go back), at its first reading", () => {
    // Such a series is refused when made (it meets at 01:30 when the clocks go forward too), so
    // the set is built from the rule alone here.
    const rule = parseRecurrenceRule("FREQ=WEEKLY;BYDAY=SU", "2026-10-18T01:30", "Europe/London");
    const set: RecurrenceSet = {
      startLocal: "2026-10-18T01:30",
      timeZone: "Europe/London",
      rule,
      rdates: [],
      exdates: [],
    };
    expect(dates(set, "2026-10-24T00:00Z", "2026-10-26T00:00Z")).toEqual([
      ["2026-10-25T01:30", "2026-10-25T00:30:00.000Z"],
    ]);
    // …and skips one the clocks never read, as RFC 5545 says (§3.3.10).
    expect(dates(set, "2027-03-27T00:00Z", "2027-04-05T00:00Z")).toEqual([
      ["2027-04-04T01:30", "2027-04-04T00:30:00.000Z"],
    ]);
  });

  it("every other week on two days, the weeks starting on Monday unless WKST says otherwise", () => {
    const monday = series("2026-01-04T19:00", "Europe/London", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU");
    expect(dates(monday, "2026-01-01T00:00Z", "2026-01-25T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-04T19:00",
      "2026-01-13T19:00",
      "2026-01-18T19:00",
    ]);
    const sunday = series("2026-01-04T19:00", "Europe/London", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,SU;WKST=SU");
    expect(dates(sunday, "2026-01-01T00:00Z", "2026-01-25T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-04T19:00",
      "2026-01-06T19:00",
      "2026-01-18T19:00",
      "2026-01-20T19:00",
    ]);
  });
});

describe("a monthly series at the month's end", () => {
  it("on the 31st skips the months without one", () => {
    const set = series("2026-01-31T19:00", "Europe/London", "FREQ=MONTHLY;BYMONTHDAY=31");
    expect(dates(set, "2026-01-01T00:00Z", "2026-09-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-31T19:00",
      "2026-03-31T19:00",
      "2026-05-31T19:00",
      "2026-07-31T19:00",
      "2026-08-31T19:00",
    ]);
  });

  it("on the last day (-1) meets every month, on 28 or 29 February", () => {
    const set = series("2027-11-30T19:00", "Europe/London", "FREQ=MONTHLY;BYMONTHDAY=-1");
    expect(dates(set, "2027-11-01T00:00Z", "2028-04-01T00:00Z").map(([l]) => l)).toEqual([
      "2027-11-30T19:00",
      "2027-12-31T19:00",
      "2028-01-31T19:00",
      "2028-02-29T19:00",
      "2028-03-31T19:00",
    ]);
  });

  it("on the last Sunday (BYDAY=-1SU) stays at 19:00, the clock-change Sundays included", () => {
    const set = series("2026-01-25T19:00", "Europe/London", "FREQ=MONTHLY;BYDAY=-1SU");
    expect(dates(set, "2026-02-01T00:00Z", "2026-05-01T00:00Z")).toEqual([
      ["2026-02-22T19:00", "2026-02-22T19:00:00.000Z"],
      ["2026-03-29T19:00", "2026-03-29T18:00:00.000Z"],
      ["2026-04-26T19:00", "2026-04-26T18:00:00.000Z"],
    ]);
    expect(dates(set, "2026-10-01T00:00Z", "2026-11-01T00:00Z")).toEqual([
      ["2026-10-25T19:00", "2026-10-25T19:00:00.000Z"],
    ]);
    const newYork = series("2026-01-25T19:00", "America/New_York", "FREQ=MONTHLY;BYDAY=-1SU");
    expect(dates(newYork, "2026-03-01T00:00Z", "2026-04-01T00:00Z")).toEqual([
      ["2026-03-29T19:00", "2026-03-29T23:00:00.000Z"],
    ]);
  });

  it("on the first and third Thursday, and on a fifth Thursday only in months that have one", () => {
    const twice = series("2026-01-01T19:00", "Europe/London", "FREQ=MONTHLY;BYDAY=1TH,3TH");
    expect(dates(twice, "2026-01-01T00:00Z", "2026-03-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-01T19:00",
      "2026-01-15T19:00",
      "2026-02-05T19:00",
      "2026-02-19T19:00",
    ]);
    const fifth = series("2026-01-29T19:00", "Europe/London", "FREQ=MONTHLY;BYDAY=5TH");
    expect(dates(fifth, "2026-01-01T00:00Z", "2026-08-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-29T19:00",
      "2026-04-30T19:00",
      "2026-07-30T19:00",
    ]);
  });

  it("every other month on its start's day when the rule names no day", () => {
    const set = series("2026-01-15T18:30", "Europe/London", "FREQ=MONTHLY;INTERVAL=2");
    expect(dates(set, "2026-01-01T00:00Z", "2026-08-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-01-15T18:30",
      "2026-03-15T18:30",
      "2026-05-15T18:30",
      "2026-07-15T18:30",
    ]);
  });
});

describe("a series' end, and dates added and skipped", () => {
  it("ends after COUNT sessions, a skipped one among them (RFC 5545 counts the rule's own dates)", () => {
    const set = series("2026-03-03T19:00", "Europe/London", "FREQ=WEEKLY;COUNT=4", {
      exdates: ["2026-03-10T19:00"],
    });
    expect(dates(set, "2026-01-01T00:00Z", "2027-01-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-03-03T19:00",
      "2026-03-17T19:00",
      "2026-03-24T19:00",
    ]);
  });

  it("ends on UNTIL's date, read in the series' zone, that day's session included", () => {
    const set = series("2026-03-03T19:00", "America/New_York", "FREQ=WEEKLY;UNTIL=20260324");
    expect(set.rule.until).toBe("20260325T035959Z");
    expect(dates(set, "2026-01-01T00:00Z", "2027-01-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-03-03T19:00",
      "2026-03-10T19:00",
      "2026-03-17T19:00",
      "2026-03-24T19:00",
    ]);
  });

  it("adds RDATEs at their own time and leaves EXDATEs out; its next dates start from any instant", () => {
    const set = series("2026-03-03T19:00", "Europe/London", "FREQ=WEEKLY", {
      rdates: ["2026-03-14T11:00"],
      exdates: ["2026-03-10T19:00"],
    });
    expect(nextOccurrences(set, new Date("2026-03-04T00:00Z"), 3).map((o) => o.startLocal)).toEqual([
      "2026-03-14T11:00",
      "2026-03-17T19:00",
      "2026-03-24T19:00",
    ]);
  });

  it("is stored as RFC 5545 lines and read back the same", () => {
    const set = series("2026-03-03T19:00", "Europe/London", "rrule:freq=weekly;byday=tu;until=20261231", {
      rdates: ["2026-03-14T11:00"],
      exdates: ["2026-03-10T19:00", "2026-03-24T19:00"],
    });
    const lines = recurrenceLines(set);
    expect(lines).toEqual([
      "RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20261231T235959Z",
      "RDATE;TZID=Europe/London:20260314T110000",
      "EXDATE;TZID=Europe/London:20260310T190000,20260324T190000",
    ]);
    expect(readRecurrenceLines(lines, set.startLocal, set.timeZone)).toEqual(set);
  });

  it("gives each occurrence a session id from the series and its original start", () => {
    expect(occurrenceSessionId("5f0c4a1e-9d7b-4c1a-8e2f-3b6d7a9c0e14", "2026-03-17T19:00")).toBe(
      "5f0c4a1e-9d7b-4c1a-8e2f-3b6d7a9c0e14_20260317T1900",
    );
  });
});

describe("the dates agree with rrule-temporal (RFC 5545 on Temporal time zones)", () => {
  const zones = [
    "Europe/London",
    "America/New_York",
    "Australia/Sydney",
    "Europe/Berlin",
    "America/St_Johns",
    "Asia/Kolkata",
    "Pacific/Auckland",
    "America/Santiago",
  ];
  const times = ["07:45", "12:00", "18:30", "19:00", "23:30", "00:15", "01:30", "02:30"];
  const days = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
  /** A small deterministic generator (mulberry32), so a failure names a rule that can be run again. */
  const random = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };

  it("for 400 generated series over two years each", { timeout: 120_000 }, () => {
    const pick = random(20261207);
    const one = <T>(items: readonly T[]): T => items[Math.floor(pick() * items.length)]!;
    let compared = 0;
    for (let i = 0; compared < 400 && i < 4000; i++) {
      const zone = one(zones);
      const start = new Date(Date.UTC(2026, 0, 2) + Math.floor(pick() * 400) * 86_400_000);
      const date = start.toISOString().slice(0, 10);
      const weekday = days[(start.getUTCDay() + 6) % 7]!;
      const kind = one(["weekly", "weekly-days", "monthly-nth", "monthly-last", "monthly-day"]);
      const interval = one([1, 1, 2, 3]);
      const nth = Math.ceil(start.getUTCDate() / 7);
      const by = {
        weekly: "",
        "weekly-days": `;BYDAY=${[...new Set([weekday, one(days), one(days)])].join(",")}`,
        "monthly-nth": `;BYDAY=${nth}${weekday}`,
        "monthly-last": `;BYDAY=-1${weekday}`,
        "monthly-day": `;BYMONTHDAY=${start.getUTCDate()}`,
      }[kind];
      const freq = kind.startsWith("weekly") ? "WEEKLY" : "MONTHLY";
      const end = one(["", "", `;COUNT=${1 + Math.floor(pick() * 40)}`, `;UNTIL=${date.slice(0, 4)}1231`]);
      const rrule = `FREQ=${freq};INTERVAL=${interval}${by}${end}`;
      const startLocal = `${date}T${one(times)}`;
      let set: RecurrenceSet;
      try {
        set = series(startLocal, zone, rrule);
      } catch (error) {
        // A last weekday that is not this start's, or a start or date in a clock change: refused.
        if (error instanceof DomainError) continue;
        throw error;
      }
      const skip = occurrencesBetween(set, now, new Date("2028-01-01T00:00Z")).filter(() => pick() < 0.1);
      set = { ...set, exdates: skip.map((o) => o.startLocal) };
      const to = new Date("2028-01-01T00:00:00Z");
      const ours = occurrencesBetween(set, now, to).map((o) => o.start.toISOString());
      const text = [
        `DTSTART;TZID=${zone}:${startLocal.replace(/[-:]/g, "")}00`,
        ...recurrenceLines(set),
      ].join("\n");
      const theirs = new RRuleTemporal({ rruleString: text })
        .between(now, to, true)
        .map((z) => new Date(z.epochMilliseconds).toISOString());
      expect(ours, text).toEqual(theirs);
      compared++;
    }
    expect(compared).toBe(400);
  });
});

describe("in words", () => {
  const words = (startLocal: string, timeZone: string, rrule: string, more: Partial<RecurrenceDraft> = {}) =>
    describeRecurrence(series(startLocal, timeZone, rrule, more));

  it.each([
    ["2026-03-17T19:00", "Europe/London", "FREQ=WEEKLY;BYDAY=TU", "Every Tuesday at 19:00, London time"],
    [
      "2026-03-05T19:30",
      "Europe/London",
      "FREQ=WEEKLY;INTERVAL=2",
      "Every other Thursday at 19:30, London time",
    ],
    [
      "2026-03-02T10:00",
      "America/New_York",
      "FREQ=WEEKLY;BYDAY=MO,WE,FR",
      "Every Monday, Wednesday and Friday at 10:00, New York time",
    ],
    ["2026-03-03T19:00", "UTC", "FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", "Every 3 weeks on Tuesday at 19:00, UTC"],
    [
      "2026-01-25T18:00",
      "Europe/London",
      "FREQ=MONTHLY;BYDAY=-1SU",
      "On the last Sunday of every month at 18:00, London time",
    ],
    [
      "2026-01-01T19:00",
      "Europe/London",
      "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TH,3TH",
      "On the first and third Thursday of every other month at 19:00, London time",
    ],
    [
      "2026-01-31T19:00",
      "America/Argentina/Buenos_Aires",
      "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=6",
      "On the last day of every month at 19:00, Buenos Aires time, 6 sessions",
    ],
    [
      "2026-01-15T19:00",
      "Europe/London",
      "FREQ=MONTHLY;UNTIL=20261215",
      "On the 15th of every month at 19:00, London time, until 15 December 2026",
    ],
  ])("%s %s %s: %s", (startLocal, zone, rrule, expected) => {
    expect(words(startLocal, zone, rrule)).toBe(expected);
  });

  it("names the dates added and skipped", () => {
    expect(
      words("2026-03-03T19:00", "Europe/London", "FREQ=WEEKLY", {
        rdates: ["2026-03-14T11:00"],
        exdates: ["2026-03-10T19:00", "2026-03-24T19:00"],
      }),
    ).toBe(
      "Every Tuesday at 19:00, London time; also 14 March 2026 at 11:00; not 10 March 2026 and 24 March 2026",
    );
  });
});

describe("a rule a series may not have", () => {
  const start = "2026-03-17T19:00"; // a Tuesday
  it.each([
    ["FREQ=HOURLY", /FREQ=HOURLY would meet several times a day/],
    ["FREQ=MINUTELY;INTERVAL=30", /FREQ=MINUTELY would meet several times a day/],
    ["FREQ=SECONDLY", /several times a day/],
    ["FREQ=DAILY", /use FREQ=WEEKLY with BYDAY/],
    ["FREQ=YEARLY", /weekly or monthly/],
    ["FREQ=WEEKLY;BYDAY=TU;BYHOUR=9,19", /BYHOUR is not accepted: a series meets once a day/],
    ["FREQ=WEEKLY;BYMINUTE=0,30", /BYMINUTE is not accepted/],
    ["FREQ=MONTHLY;BYDAY=TU;BYSETPOS=-1", /BYSETPOS is not supported/],
    ["FREQ=WEEKLY;COUNT=5;UNTIL=20261231", /COUNT and UNTIL cannot both be given/],
    ["FREQ=WEEKLY;BYDAY=3TU", /without a number/],
    ["FREQ=MONTHLY;BYDAY=TU", /nth weekday/],
    ["FREQ=MONTHLY;BYDAY=6TU", /nth weekday/],
    ["FREQ=MONTHLY;BYMONTHDAY=0", /BYMONTHDAY/],
    ["FREQ=MONTHLY;BYMONTHDAY=17;BYDAY=3TU", /not both/],
    ["FREQ=WEEKLY;INTERVAL=0", /INTERVAL must be a whole number from 1 to 52/],
    ["FREQ=WEEKLY;COUNT=5000", /COUNT must be a whole number from 1 to 1000/],
    ["FREQ=WEEKLY;UNTIL=2026-12-31", /UNTIL must be a date/],
    ["FREQ=WEEKLY;BYDAY=TU,TU", /twice/],
    ["BYDAY=TU", /FREQ is missing/],
    ["every tuesday", /not a NAME=VALUE part/],
  ])("refuses %s, on the rrule field", (rrule, message) => {
    const [field, text] = refusal(() => series(start, "Europe/London", rrule));
    expect(field).toBe("rrule");
    expect(text).toMatch(message);
  });
});

describe("a series' dates that cannot be", () => {
  const check = (
    startLocal: string,
    rrule: string,
    more: Partial<RecurrenceDraft> = {},
    zone = "Europe/London",
  ) => refusal(() => series(startLocal, zone, rrule, more));

  it("refuses a start the clocks skip, naming startLocal", () => {
    expect(check("2026-03-29T01:30", "FREQ=WEEKLY")).toEqual([
      "startLocal",
      "01:30 does not exist on 2026-03-29 in Europe/London: the clocks go forward then; choose a time outside the change",
    ]);
    expect(check("2026-03-08T02:30", "FREQ=MONTHLY;BYDAY=2SU", {}, "America/New_York")[0]).toBe("startLocal");
  });

  it("refuses a time of day the clocks skip on one of the rule's later dates, naming that date", () => {
    expect(check("2026-03-22T01:30", "FREQ=WEEKLY;BYDAY=SU")).toEqual([
      "startLocal",
      "01:30 does not exist on 2026-03-29 in Europe/London: the clocks go forward then; choose a time outside the change",
    ]);
    // A monthly rule on the last Sunday meets in the gap every March.
    expect(check("2026-04-26T01:15", "FREQ=MONTHLY;BYDAY=-1SU")[1]).toMatch(/on 2027-03-28/);
    expect(check("2026-03-01T02:30", "FREQ=WEEKLY;BYDAY=SU", {}, "America/New_York")).toEqual([
      "startLocal",
      "02:30 does not exist on 2026-03-08 in America/New_York: the clocks go forward then; choose a time outside the change",
    ]);
    // 02:30 on a Saturday never falls in New York's gap (a Sunday): that series is fine.
    expect(() => series("2026-03-07T02:30", "America/New_York", "FREQ=WEEKLY;BYDAY=SA")).not.toThrow();
  });

  it("refuses a start that is not on the rule, or not in the future", () => {
    expect(check("2026-03-18T19:00", "FREQ=WEEKLY;BYDAY=TU")).toEqual([
      "startLocal",
      "2026-03-18 is not one of the rule's dates: the first session must be on the rule",
    ]);
    expect(check("2025-12-30T19:00", "FREQ=WEEKLY")).toEqual([
      "startLocal",
      "the series must start in the future",
    ]);
    expect(check("2026-03-17T19:00", "FREQ=WEEKLY;UNTIL=20260301")).toEqual([
      "rrule",
      "UNTIL is before the first session",
    ]);
  });

  it("refuses an EXDATE that is not one of the rule's dates, naming it", () => {
    const weekly = "FREQ=WEEKLY;BYDAY=TU";
    expect(check("2026-03-17T19:00", weekly, { exdates: ["2026-03-25T19:00"] })).toEqual([
      "exdates.0",
      "2026-03-25T19:00 is not one of the rule's dates",
    ]);
    // The right day at another time, or after the series has ended, is not on the rule either.
    expect(check("2026-03-17T19:00", weekly, { exdates: ["2026-03-24T19:00", "2026-03-31T18:00"] })[0]).toBe(
      "exdates.1",
    );
    expect(check("2026-03-17T19:00", `${weekly};COUNT=2`, { exdates: ["2026-03-31T19:00"] })[0]).toBe(
      "exdates.0",
    );
    expect(check("2026-03-17T19:00", weekly, { exdates: ["2026-03-24T19:00", "2026-03-24T19:00"] })).toEqual([
      "exdates.1",
      "is given twice",
    ]);
    expect(check("2026-03-17T19:00", `${weekly};COUNT=1`, { exdates: ["2026-03-17T19:00"] })).toEqual([
      "exdates",
      "skips every date of the series",
    ]);
  });

  it("refuses an RDATE on a day the series meets already (at most once a day), in the past or in a gap", () => {
    expect(check("2026-03-17T19:00", "FREQ=WEEKLY", { rdates: ["2026-03-24T11:00"] })).toEqual([
      "rdates.0",
      "the series meets on 2026-03-24 already; it meets at most once a day",
    ]);
    expect(
      check("2026-03-17T19:00", "FREQ=WEEKLY", { rdates: ["2026-03-20T11:00", "2026-03-20T18:00"] })[0],
    ).toBe("rdates.1");
    expect(check("2026-03-17T19:00", "FREQ=WEEKLY", { rdates: ["2025-12-20T11:00"] })).toEqual([
      "rdates.0",
      "must be in the future",
    ]);
    expect(check("2026-03-17T19:00", "FREQ=WEEKLY", { rdates: ["2026-03-29T01:30"] })[0]).toBe("rdates.0");
  });

  it("moves a session by skipping its start and adding another that day, but not by adding the skipped start", () => {
    const moved = series("2026-03-17T19:00", "Europe/London", "FREQ=WEEKLY", {
      exdates: ["2026-03-24T19:00"],
      rdates: ["2026-03-24T18:00"],
    });
    expect(dates(moved, "2026-03-20T00:00Z", "2026-04-01T00:00Z").map(([l]) => l)).toEqual([
      "2026-03-24T18:00",
      "2026-03-31T19:00",
    ]);
    expect(
      check("2026-03-17T19:00", "FREQ=WEEKLY", {
        exdates: ["2026-03-24T19:00"],
        rdates: ["2026-03-24T19:00"],
      }),
    ).toEqual(["rdates.0", "is skipped too (in exdates)"]);
  });
});
