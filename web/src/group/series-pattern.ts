// A series' pattern as the form's plain controls hold it, and the RFC 5545 RRULE it stands for.
// The API reads the rule back and says it in words, so this only writes it.

export const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof weekdays)[number];

export const dayNames: Record<Weekday, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};

/** Which of the month's weekdays: the first to the fifth, or -1 for the last. */
export const nthChoices = [
  [1, "first"],
  [2, "second"],
  [3, "third"],
  [4, "fourth"],
  [5, "fifth"],
  [-1, "last"],
] as const;

export interface SeriesPattern {
  repeats: "weekly" | "monthly-weekday" | "monthly-day";
  /** Every n weeks or months. */
  interval: number;
  /** A weekly pattern's days. */
  days: Weekday[];
  /** A monthly-weekday pattern's "nth weekday". */
  nth: number;
  weekday: Weekday;
  /** A monthly-day pattern's day of the month, 1 to 31. */
  monthDay: number;
  ends: "never" | "on" | "after";
  /** The last date ("YYYY-MM-DD") when it ends on a date. */
  until: string;
  /** How many sessions when it ends after a number. */
  count: number;
}

/** The weekday of a local date "YYYY-MM-DD" (the calendar's, whatever the browser's zone). */
export const weekdayOf = (date: string): Weekday =>
  weekdays[(new Date(`${date}T00:00Z`).getUTCDay() + 6) % 7]!;

const daysInMonth = (date: string) =>
  new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();

/** The pattern a first date suggests: weekly on its weekday; monthly on its nth (or last) weekday, or its day. */
export const patternFrom = (date: string, pattern: SeriesPattern): SeriesPattern => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return pattern;
  const day = Number(date.slice(8, 10));
  const weekday = weekdayOf(date);
  return {
    ...pattern,
    days: [weekday],
    weekday,
    nth: day + 7 > daysInMonth(date) ? -1 : Math.ceil(day / 7),
    monthDay: day,
  };
};

export const initialPattern: SeriesPattern = {
  repeats: "weekly",
  interval: 1,
  days: [],
  nth: 1,
  weekday: "MO",
  monthDay: 1,
  ends: "never",
  until: "",
  count: 10,
};

const inWeekOrder = (days: readonly Weekday[]) =>
  [...days].sort((a, b) => weekdays.indexOf(a) - weekdays.indexOf(b));

/**
 * The RRULE of a pattern, e.g. "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH", "FREQ=MONTHLY;BYDAY=-1SU",
 * "FREQ=MONTHLY;BYMONTHDAY=15;COUNT=6"; a weekly one with no day chosen meets on the first
 * date's weekday (BYDAY left out). UNTIL is a date: the API reads it as that day's end
 * in the group's zone.
 */
export const rruleOf = (p: SeriesPattern): string => {
  const parts =
    p.repeats === "weekly"
      ? ["FREQ=WEEKLY", ...(p.days.length > 0 ? [`BYDAY=${inWeekOrder(p.days).join(",")}`] : [])]
      : p.repeats === "monthly-weekday"
        ? ["FREQ=MONTHLY", `BYDAY=${p.nth}${p.weekday}`]
        : ["FREQ=MONTHLY", `BYMONTHDAY=${p.monthDay}`];
  if (p.interval !== 1) parts.splice(1, 0, `INTERVAL=${p.interval}`);
  if (p.ends === "on") parts.push(`UNTIL=${p.until.replaceAll("-", "")}`);
  if (p.ends === "after") parts.push(`COUNT=${p.count}`);
  return parts.join(";");
};
