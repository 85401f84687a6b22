import { invalid } from "./errors.ts";
import { localDateTimeAt, wallTimeInstant } from "./local-time.ts";

/**
 * The recurrence rules a session series may have, read from and written as RFC 5545 RRULE
 * text: weekly or every n weeks on given days, monthly on the nth or last weekday, or monthly
 * on days of the month; ended by a date (UNTIL), after a number of sessions (COUNT), or open.
 * Nothing that can meet more than once a day is accepted (no HOURLY, MINUTELY, SECONDLY, no
 * BYHOUR or BYMINUTE: the time of day is the series' start time). Pure: no clock, no I/O.
 */

export const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;
export type Weekday = (typeof weekdays)[number];

/** A monthly rule's weekday: `nth` from 1 to 5, or -1 for the last in the month. */
export interface NthWeekday {
  nth: number;
  day: Weekday;
}

export type RecurrencePattern =
  | { freq: "WEEKLY"; days: readonly Weekday[] }
  | { freq: "MONTHLY"; weekdays: readonly NthWeekday[] }
  | { freq: "MONTHLY"; monthDays: readonly number[] };

export type RecurrenceRule = RecurrencePattern & {
  interval: number;
  /** The week's first day (WKST), which groups the days of an every-n-weeks rule; Monday by default. */
  weekStart: Weekday;
  /** How many sessions the rule makes, counted from the first (COUNT). */
  count?: number;
  /** The last instant a session may start (UNTIL), RFC 5545 UTC form "YYYYMMDDTHHMMSSZ". */
  until?: string;
};

/** The most sessions a COUNT may ask for, and the longest gap in periods. */
export const maxCount = 1000;
const maxInterval = { WEEKLY: 52, MONTHLY: 12 } as const;

const severalADay = "would meet several times a day; a series meets at most once a day, weekly or monthly";
const refused: Record<string, string> = {
  HOURLY: severalADay,
  MINUTELY: severalADay,
  SECONDLY: severalADay,
  DAILY: "is not offered: use FREQ=WEEKLY with BYDAY naming the days",
  YEARLY: "is not offered: a series meets weekly or monthly",
};

const timeParts = new Set(["BYHOUR", "BYMINUTE", "BYSECOND"]);

const rruleProblem = (message: string) => invalid("rrule", message);

/** Weekday index, Monday 0 … Sunday 6, of a local date "YYYY-MM-DD". */
export const weekdayOf = (date: string): number => (new Date(`${date}T00:00Z`).getUTCDay() + 6) % 7;

const isWeekday = (text: string): text is Weekday => (weekdays as readonly string[]).includes(text);

const wholeNumber = (text: string, name: string, min: number, max: number): number => {
  const value = /^[+-]?\d{1,4}$/.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max))
    throw rruleProblem(`${name} must be a whole number from ${min} to ${max}`);
  return value;
};

/** RFC 5545 local DATE-TIME "20260317T190000" from "2026-03-17T19:00", and back. */
export const toRfcLocal = (local: string): string => `${local.replace(/[-:]/g, "")}00`;
export const fromRfcLocal = (rfc: string): string | undefined => {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})00$/.exec(rfc);
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}` : undefined;
};

/** UNTIL as the UTC instant it names: a date means its last second in the series' zone. */
const untilInstant = (value: string, timeZone: string): string => {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (date) {
    const endOfDay = wallTimeInstant(`${date[1]}-${date[2]}-${date[3]}T23:59`, timeZone);
    return `${endOfDay.toISOString().slice(0, 17).replace(/[-:]/g, "")}59Z`;
  }
  if (/^\d{8}T\d{6}Z$/.test(value) && !Number.isNaN(Date.parse(untilIso(value)))) return value;
  throw rruleProblem("UNTIL must be a date (YYYYMMDD) or a UTC date and time (YYYYMMDDTHHMMSSZ)");
};

/** "20261231T235959Z" as an ISO instant. */
export const untilIso = (until: string): string =>
  `${until.slice(0, 4)}-${until.slice(4, 6)}-${until.slice(6, 8)}T${until.slice(9, 11)}:${until.slice(11, 13)}:${until.slice(13, 15)}Z`;

const weeklyDays = (value: string | undefined, startDay: Weekday): Weekday[] => {
  if (value === undefined) return [startDay];
  const days = value.split(",");
  for (const day of days)
    if (!isWeekday(day))
      throw rruleProblem(
        `BYDAY of a weekly rule lists days such as MO,TH (without a number): ${day} is not one`,
      );
  if (new Set(days).size !== days.length) throw rruleProblem("BYDAY names a day twice");
  return [...(days as Weekday[])].sort((a, b) => weekdays.indexOf(a) - weekdays.indexOf(b));
};

const monthlyWeekdays = (value: string): NthWeekday[] => {
  const read = value.split(",").map((part) => {
    const m = /^([+-]?\d)([A-Z]{2})$/.exec(part);
    const nth = m ? Number(m[1]) : NaN;
    if (!m || !isWeekday(m[2]!) || !(nth === -1 || (nth >= 1 && nth <= 5)))
      throw rruleProblem(
        `BYDAY of a monthly rule names the nth weekday, 1 to 5 or -1 for the last (2TU, -1SU): ${part} is not one`,
      );
    return { nth, day: m[2] };
  });
  if (new Set(read.map((w) => `${w.nth}${w.day}`)).size !== read.length)
    throw rruleProblem("BYDAY names a weekday twice");
  return read;
};

const monthDays = (value: string): number[] => {
  const days = value.split(",").map((part) => {
    const day = wholeNumber(part, "BYMONTHDAY", -1, 31);
    if (day === 0) throw rruleProblem("BYMONTHDAY is a day from 1 to 31, or -1 for the last day");
    return day;
  });
  if (new Set(days).size !== days.length) throw rruleProblem("BYMONTHDAY names a day twice");
  return days.sort((a, b) => (a === -1 ? 1 : b === -1 ? -1 : a - b));
};

/**
 * Reads an RRULE value ("FREQ=WEEKLY;BYDAY=TU", with or without "RRULE:") for a series that
 * starts at `startLocal` in `timeZone`, which give what the rule leaves out (the weekday of a
 * weekly rule, the day of a monthly one). Throws an invalid-input error on "rrule" saying
 * what is wrong.
 */
export function parseRecurrenceRule(text: string, startLocal: string, timeZone: string): RecurrenceRule {
  const body = text.trim().replace(/^RRULE:/i, "");
  const parts = new Map<string, string>();
  for (const part of body.split(";")) {
    const m = /^([A-Za-z]+)=(.+)$/.exec(part);
    if (!m) throw rruleProblem(`"${part}" is not a NAME=VALUE part of an RRULE`);
    const name = m[1]!.toUpperCase();
    if (parts.has(name)) throw rruleProblem(`${name} is given twice`);
    parts.set(name, m[2]!.toUpperCase());
  }
  const freq = parts.get("FREQ");
  if (freq === undefined) throw rruleProblem("FREQ is missing: FREQ=WEEKLY or FREQ=MONTHLY");
  if (freq !== "WEEKLY" && freq !== "MONTHLY")
    throw rruleProblem(`FREQ=${freq} ${refused[freq] ?? "is not a frequency: use WEEKLY or MONTHLY"}`);
  for (const name of parts.keys()) {
    if (timeParts.has(name))
      throw rruleProblem(`${name} is not accepted: a series meets once a day, at the time of startLocal`);
    if (!["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "COUNT", "UNTIL", "WKST"].includes(name))
      throw rruleProblem(`${name} is not supported in a series' rule`);
  }
  if (parts.has("COUNT") && parts.has("UNTIL")) throw rruleProblem("COUNT and UNTIL cannot both be given");
  const wkst = parts.get("WKST") ?? "MO";
  if (!isWeekday(wkst)) throw rruleProblem(`WKST=${wkst} is not a day (MO to SU)`);

  const startDate = startLocal.slice(0, 10);
  const startDay = weekdays[weekdayOf(startDate)]!;
  const byDay = parts.get("BYDAY");
  const byMonthDay = parts.get("BYMONTHDAY");
  let pattern: RecurrencePattern;
  if (freq === "WEEKLY") {
    if (byMonthDay !== undefined) throw rruleProblem("BYMONTHDAY belongs to a monthly rule");
    pattern = { freq, days: weeklyDays(byDay, startDay) };
  } else if (byDay !== undefined) {
    if (byMonthDay !== undefined) throw rruleProblem("a monthly rule takes BYDAY or BYMONTHDAY, not both");
    pattern = { freq, weekdays: monthlyWeekdays(byDay) };
  } else
    pattern = { freq, monthDays: byMonthDay ? monthDays(byMonthDay) : [Number(startLocal.slice(8, 10))] };

  const count = parts.has("COUNT") ? wholeNumber(parts.get("COUNT")!, "COUNT", 1, maxCount) : undefined;
  const until = parts.has("UNTIL") ? untilInstant(parts.get("UNTIL")!, timeZone) : undefined;
  return {
    ...pattern,
    interval: parts.has("INTERVAL")
      ? wholeNumber(parts.get("INTERVAL")!, "INTERVAL", 1, maxInterval[freq])
      : 1,
    weekStart: wkst,
    ...(count === undefined ? {} : { count }),
    ...(until === undefined ? {} : { until }),
  };
}

/** The rule as RRULE value text, its parts always in one order, so equal rules read alike. */
export function formatRecurrenceRule(rule: RecurrenceRule): string {
  const by =
    "days" in rule
      ? `BYDAY=${rule.days.join(",")}`
      : "weekdays" in rule
        ? `BYDAY=${rule.weekdays.map((w) => `${w.nth}${w.day}`).join(",")}`
        : `BYMONTHDAY=${rule.monthDays.join(",")}`;
  return [
    `FREQ=${rule.freq}`,
    ...(rule.interval === 1 ? [] : [`INTERVAL=${rule.interval}`]),
    by,
    ...(rule.count === undefined ? [] : [`COUNT=${rule.count}`]),
    ...(rule.until === undefined ? [] : [`UNTIL=${rule.until}`]),
    ...(rule.weekStart === "MO" ? [] : [`WKST=${rule.weekStart}`]),
  ].join(";");
}

/** The local date of the rule's UNTIL in the series' zone, for people to read. */
export const untilLocalDate = (until: string, timeZone: string): string =>
  localDateTimeAt(new Date(untilIso(until)), timeZone).slice(0, 10);
