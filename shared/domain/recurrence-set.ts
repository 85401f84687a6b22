import { localDateTimeAt, wallTimeInstant } from "./local-time.ts";
import {
  formatRecurrenceRule,
  fromRfcLocal,
  parseRecurrenceRule,
  toRfcLocal,
  untilIso,
  weekdayOf,
  weekdays,
  type RecurrenceRule,
} from "./recurrence-rule.ts";

/**
 * A series' occurrences as RFC 5545 defines them: the first start (DTSTART) and the rule's
 * (RRULE) in the series' zone, with dates added (RDATE) and skipped (EXDATE). Expanded here in
 * wall-clock arithmetic (a session at 19:00 stays at 19:00 across the clock changes) and each
 * start made an instant with the tz database (local-time.ts). Pure: no clock, no I/O.
 */
export interface RecurrenceSet {
  /** The first start, "YYYY-MM-DDTHH:mm" in `timeZone`. */
  startLocal: string;
  timeZone: string;
  rule: RecurrenceRule;
  /** Starts added beside the rule's, "YYYY-MM-DDTHH:mm". */
  rdates: readonly string[];
  /** Starts of the rule's that are skipped, "YYYY-MM-DDTHH:mm". */
  exdates: readonly string[];
}

export interface Occurrence {
  /** Where the set puts it (RECURRENCE-ID): "YYYY-MM-DDTHH:mm" in the zone. */
  startLocal: string;
  start: Date;
}

const dayMs = 86_400_000;
const dayNumber = (date: string): number => Date.parse(`${date}T00:00Z`) / dayMs;
const dateOf = (day: number): string => new Date(day * dayMs).toISOString().slice(0, 10);
const weekdayIndex = (day: string): number => (weekdays as readonly string[]).indexOf(day);

/** The days (day numbers) of one period of the rule, in order: its week or its month. */
const periodDays = (
  rule: RecurrenceRule,
  firstDay: number,
  period: number,
): { from: number; days: number[] } => {
  if ("days" in rule) {
    const weekStart = weekdayIndex(rule.weekStart);
    const from = firstDay - ((weekdayOf(dateOf(firstDay)) - weekStart + 7) % 7) + 7 * period;
    const offsets = rule.days.map((day) => (weekdayIndex(day) - weekStart + 7) % 7).sort((a, b) => a - b);
    return { from, days: offsets.map((offset) => from + offset) };
  }
  const first = new Date(firstDay * dayMs);
  const from = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + period, 1) / dayMs;
  const length = Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + period + 1, 1) / dayMs - from;
  const last = from + length - 1;
  const days =
    "weekdays" in rule
      ? rule.weekdays.map(({ nth, day }) => {
          const want = weekdayIndex(day);
          if (nth === -1) return last - ((weekdayOf(dateOf(last)) - want + 7) % 7);
          const at = from + ((want - weekdayOf(dateOf(from)) + 7) % 7) + 7 * (nth - 1);
          return at <= last ? at : undefined;
        })
      : rule.monthDays.map((day) => (day === -1 ? last : day <= length ? from + day - 1 : undefined));
  const kept = days.filter((day): day is number => day !== undefined);
  return { from, days: [...new Set(kept)].sort((a, b) => a - b) };
};

/**
 * The rule's starts in order, from the first, up to and including `lastDate` ("YYYY-MM-DD"),
 * COUNT and UNTIL applied: COUNT counts the rule's own starts, skipped ones included, as RFC
 * 5545 does. Starts before `fromDate` are counted but not yielded (nor made instants: the
 * time zone is asked about the dates wanted only). Dates added and skipped are not applied.
 */
export function* ruleStarts(
  set: Omit<RecurrenceSet, "rdates" | "exdates">,
  lastDate: string,
  fromDate = set.startLocal.slice(0, 10),
): Generator<string> {
  const { rule, startLocal, timeZone } = set;
  const time = startLocal.slice(11);
  const firstDay = dayNumber(startLocal.slice(0, 10));
  const fromDay = dayNumber(fromDate);
  const lastDay = dayNumber(lastDate);
  const untilMs = rule.until === undefined ? Infinity : Date.parse(untilIso(rule.until));
  let made = 0;
  for (let period = 0; ; period += rule.interval) {
    const { from, days } = periodDays(rule, firstDay, period);
    if (from > lastDay) return;
    for (const day of days) {
      if (day < firstDay) continue;
      if (day > lastDay) return;
      made++;
      if (day >= fromDay) {
        const local = `${dateOf(day)}T${time}`;
        // UNTIL passes once: the starts after the first beyond it are beyond it too.
        if (untilMs !== Infinity && wallTimeInstant(local, timeZone).getTime() > untilMs) return;
        yield local;
      }
      if (made === rule.count) return;
    }
  }
}

/** The start as an instant, or undefined when the clocks skip it (a spring-forward gap). */
export const startInstant = (local: string, timeZone: string): Date | undefined => {
  const start = wallTimeInstant(local, timeZone);
  return localDateTimeAt(start, timeZone) === local ? start : undefined;
};

/**
 * The occurrences starting at or after `from` and before `to`, in order: the rule's starts and
 * the dates added, less the dates skipped. A start the clocks skip (a time inside a
 * spring-forward gap) is left out, as RFC 5545 §3.3.10 says; series are checked for those
 * when made (recurrence-checks.ts), so only a change to the tz rules can bring one.
 */
export function occurrencesBetween(set: RecurrenceSet, from: Date, to: Date): Occurrence[] {
  // A day either side covers every offset from UTC.
  const lastDate = localDateTimeAt(new Date(to.getTime() + dayMs), set.timeZone).slice(0, 10);
  const fromDate = localDateTimeAt(new Date(from.getTime() - dayMs), set.timeZone).slice(0, 10);
  const skipped = new Set(set.exdates);
  const found: Occurrence[] = [];
  for (const startLocal of new Set([...ruleStarts(set, lastDate, fromDate), ...set.rdates])) {
    if (skipped.has(startLocal)) continue;
    const start = startInstant(startLocal, set.timeZone);
    if (start && start >= from && start < to) found.push({ startLocal, start });
  }
  return found.sort((a, b) => a.start.getTime() - b.start.getTime());
}

/** Up to `count` occurrences from `from` on, looking at most five years ahead. */
export function nextOccurrences(set: RecurrenceSet, from: Date, count: number): Occurrence[] {
  let found: Occurrence[] = [];
  for (const days of [100, 400, 1830]) {
    found = occurrencesBetween(set, from, new Date(from.getTime() + days * dayMs));
    if (found.length >= count) break;
  }
  return found.slice(0, count);
}

/**
 * The set as RFC 5545 content lines, as stored and as a VEVENT carries them beside its
 * DTSTART: the RRULE, then an RDATE and an EXDATE line (each only when it lists a date), the
 * dates local to the series' zone.
 */
export function recurrenceLines(set: RecurrenceSet): string[] {
  const dates = (name: string, locals: readonly string[]) =>
    locals.length === 0 ? [] : [`${name};TZID=${set.timeZone}:${locals.map(toRfcLocal).join(",")}`];
  return [
    `RRULE:${formatRecurrenceRule(set.rule)}`,
    ...dates("RDATE", set.rdates),
    ...dates("EXDATE", set.exdates),
  ];
}

/** Reads the stored lines back (what recurrenceLines wrote) for a series starting at `startLocal`. */
export function readRecurrenceLines(
  lines: readonly string[],
  startLocal: string,
  timeZone: string,
): RecurrenceSet {
  let rule: RecurrenceRule | undefined;
  const dated = { RDATE: [] as string[], EXDATE: [] as string[] };
  for (const line of lines) {
    if (line.startsWith("RRULE:")) rule = parseRecurrenceRule(line, startLocal, timeZone);
    const m = /^(RDATE|EXDATE);TZID=[^:]+:(.+)$/.exec(line);
    if (m)
      dated[m[1] as keyof typeof dated] = m[2]!.split(",").map((rfc) => {
        const local = fromRfcLocal(rfc);
        if (local === undefined)
          throw new RangeError(`a stored ${m[1]} holds ${rfc}, not a local date and time`);
        return local;
      });
  }
  if (!rule) throw new RangeError("a stored recurrence has no RRULE line");
  return { startLocal, timeZone, rule, rdates: dated.RDATE, exdates: dated.EXDATE };
}
