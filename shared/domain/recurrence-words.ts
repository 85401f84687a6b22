import { untilLocalDate, weekdays, type NthWeekday, type Weekday } from "./recurrence-rule.ts";
import type { RecurrenceSet } from "./recurrence-set.ts";

/**
 * A series' rule in words, as coordinators read it before saving: "Every Tuesday at 19:00,
 * London time". English, written here rather than by a library, so that it says exactly
 * what the expansion does (and weighs almost nothing in the API).
 */

const dayNames: Record<Weekday, string> = {
  MO: "Monday",
  TU: "Tuesday",
  WE: "Wednesday",
  TH: "Thursday",
  FR: "Friday",
  SA: "Saturday",
  SU: "Sunday",
};
const nthNames = ["last", "", "first", "second", "third", "fourth", "fifth"];
const monthNames = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** "a, b and c" */
const listed = (items: readonly string[]): string =>
  items.length < 2 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;

const ordinal = (n: number): string =>
  `${n}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

/** "31 March 2026" from "2026-03-31". */
const dateInWords = (date: string): string =>
  `${Number(date.slice(8, 10))} ${monthNames[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;

/** "London time" from Europe/London; UTC stays UTC. */
const zoneInWords = (zone: string): string =>
  zone.includes("/") && !zone.startsWith("Etc/")
    ? `${zone.split("/").at(-1)!.replace(/_/g, " ")} time`
    : zone;

const every = (interval: number, unit: "week" | "month"): string =>
  interval === 1 ? `every ${unit}` : interval === 2 ? `every other ${unit}` : `every ${interval} ${unit}s`;

const nthWeekdays = (chosen: readonly NthWeekday[]): string => {
  const sameDay = chosen.every((w) => w.day === chosen[0]!.day);
  return sameDay
    ? `the ${listed(chosen.map((w) => nthNames[w.nth + 1]!))} ${dayNames[chosen[0]!.day]}`
    : listed(chosen.map((w) => `the ${nthNames[w.nth + 1]} ${dayNames[w.day]}`));
};

const pattern = (set: RecurrenceSet): string => {
  const { rule } = set;
  if ("days" in rule) {
    const days = listed(rule.days.map((d) => dayNames[d]));
    if (rule.interval === 1) return rule.days.length === weekdays.length ? "Every day" : `Every ${days}`;
    return rule.interval === 2 && rule.days.length === 1
      ? `Every other ${days}`
      : `${every(rule.interval, "week").replace(/^e/, "E")} on ${days}`;
  }
  const which =
    "weekdays" in rule
      ? nthWeekdays(rule.weekdays)
      : rule.monthDays[0] === -1
        ? "the last day"
        : `the ${listed(rule.monthDays.map((d) => (d === -1 ? "last day" : ordinal(d))))}`;
  return `On ${which} of ${every(rule.interval, "month")}`;
};

/** E.g. "Every other Thursday at 19:00, London time, until 31 December 2026; not 24 December 2026". */
export function describeRecurrence(set: RecurrenceSet): string {
  const { rule, timeZone } = set;
  const end =
    rule.count !== undefined
      ? `, ${rule.count} ${rule.count === 1 ? "session" : "sessions"}`
      : rule.until !== undefined
        ? `, until ${dateInWords(untilLocalDate(rule.until, timeZone))}`
        : "";
  const added = set.rdates.map((local) => `${dateInWords(local.slice(0, 10))} at ${local.slice(11)}`);
  const skipped = set.exdates.map((local) => dateInWords(local.slice(0, 10)));
  return (
    `${pattern(set)} at ${set.startLocal.slice(11)}, ${zoneInWords(timeZone)}${end}` +
    (added.length ? `; also ${listed(added)}` : "") +
    (skipped.length ? `; not ${listed(skipped)}` : "")
  );
}
