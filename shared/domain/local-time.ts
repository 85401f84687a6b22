import { tzOffset } from "@date-fns/tz/tzOffset";

/**
 * Wall-clock time in a group's IANA zone, turned into instants and back. Sessions are stored
 * as local time plus zone, so every instant is computed here with the tz database (the
 * runtime's Intl, read through @date-fns/tz's tzOffset), never by adding fixed offsets.
 */

const minuteMs = 60_000;
const dayMs = 86_400_000;

/** What to do with a wall time that the clocks skip in a spring-forward gap. */
export type GapResolution = "later" | "earlier";

/**
 * Zones already found valid. Checking builds an Intl.DateTimeFormat (~0.1 ms), and each
 * message asks several times. Only valid names are kept, so the set is bounded by the tz
 * database however many bad names callers send.
 */
const validZones = new Set<string>();

/**
 * True for an IANA zone name in Area/Location form ("Europe/London"), or "UTC". Rejected:
 * - offset names ("UTC+1", "+01:00"): no daylight-saving rules, so a group would drift an
 *   hour (newer Node versions' Intl accepts "+01:00", hence the shape check);
 * - ICU's legacy abbreviations, which Intl accepts but mean something else ("BST" is
 *   Asia/Dhaka, not London), and the deprecated one-word links ("GB", "EST5EDT");
 * - case variants ("europe/london"): stored names must match other tools' tz lookups.
 */
export function isValidTimeZone(zone: string): boolean {
  if (zone === "UTC" || validZones.has(zone)) return true;
  const valid = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)+$/.test(zone) && isIntlTimeZone(zone);
  if (valid) validZones.add(zone);
  return valid;
}

/** True for a real calendar date and time written "YYYY-MM-DDTHH:mm". */
export function isValidLocalDateTime(local: string): boolean {
  return parseLocalDateTime(local) !== undefined;
}

/**
 * The instant at which the clocks in `timeZone` read `local` ("YYYY-MM-DDTHH:mm").
 *
 * - Ambiguous (autumn, the hour happens twice): the EARLIER instant, the first occurrence,
 *   whatever today's date is. (Libraries that pick by today's offset, as luxon does, would
 *   change with the season the code runs in.)
 * - Skipped (spring, inside the gap): "later" (default) shifts forward by the gap, as luxon
 *   and Temporal's "compatible" do: 01:30 on London's spring-forward night is 02:30 BST.
 *   "earlier" shifts back by the gap instead: 00:30 GMT, an instant before the clocks jumped.
 *
 * Throws RangeError for a malformed time or zone: callers validate at the boundary first.
 */
export function wallTimeInstant(local: string, timeZone: string, inGap: GapResolution = "later"): Date {
  const wallMs = parseLocalDateTime(local);
  if (wallMs === undefined)
    throw new RangeError("local time must be a real date and time written YYYY-MM-DDTHH:mm");
  const zone = checkedZone(timeZone);
  // One transition at most within a day either side, true of every real zone.
  const offsetBefore = offsetMinutes(zone, wallMs - dayMs);
  const offsetAfter = offsetMinutes(zone, wallMs + dayMs);
  const candidates = [wallMs - offsetBefore * minuteMs, wallMs - offsetAfter * minuteMs].filter(
    (instantMs) => instantMs + offsetMinutes(zone, instantMs) * minuteMs === wallMs,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  return new Date(wallMs - (inGap === "later" ? offsetBefore : offsetAfter) * minuteMs);
}

/** When a session begins, from its stored local start and zone. See wallTimeInstant for DST rules. */
export function sessionStartInstant(startLocal: string, timeZone: string): Date {
  return wallTimeInstant(startLocal, timeZone);
}

/**
 * When a session ends: its duration in real minutes after the start, so a two-hour session
 * on the night the clocks go back still lasts two hours (though the clock shows one).
 */
export function sessionEndInstant(startLocal: string, timeZone: string, durationMinutes: number): Date {
  return new Date(sessionStartInstant(startLocal, timeZone).getTime() + durationMinutes * minuteMs);
}

/**
 * False when the clocks in `timeZone` never read `local` ("YYYY-MM-DDTHH:mm"): it falls in a
 * spring-forward gap (01:30 in London on the last Sunday of March). A time the clocks read
 * twice (autumn) exists.
 */
export function existsInZone(local: string, timeZone: string): boolean {
  return localDateTimeAt(wallTimeInstant(local, timeZone), timeZone) === local;
}

/** A span of wall-clock time the clocks skip: readings from `from` to before `to`, as "YYYY-MM-DDTHH:mm" read as UTC, in ms. */
export interface ClockGap {
  from: number;
  to: number;
}

/**
 * The spring-forward gaps of `timeZone` between two instants, found by reading its offset once
 * a week and narrowing each change down to the minute: about 160 readings for three years,
 * where asking of every session's start would take four each. (A zone whose clocks went
 * forward and back within one week would be missed; none has in the tz database's years since
 * 1970.)
 */
export function clockGaps(timeZone: string, from: Date, to: Date): ClockGap[] {
  const zone = checkedZone(timeZone);
  const weekMs = 7 * dayMs;
  const gaps: ClockGap[] = [];
  let before = from.getTime();
  let offsetBefore = offsetMinutes(zone, before);
  while (before < to.getTime()) {
    let after = before + weekMs;
    const offsetAfter = offsetMinutes(zone, after);
    if (offsetAfter > offsetBefore) {
      // The first minute at the new offset, between the two readings.
      let low = before;
      while (after - low > minuteMs) {
        const middle = low + Math.floor((after - low) / 2 / minuteMs) * minuteMs;
        if (offsetMinutes(zone, middle) === offsetBefore) low = middle;
        else after = middle;
      }
      gaps.push({ from: after + offsetBefore * minuteMs, to: after + offsetAfter * minuteMs });
      after = before + weekMs;
    }
    before = after;
    offsetBefore = offsetAfter;
  }
  return gaps;
}

/** The wall-clock reading ("YYYY-MM-DDTHH:mm") in `timeZone` at `instant`. */
export function localDateTimeAt(instant: Date, timeZone: string): string {
  return wallClock(instant, checkedZone(timeZone)).toISOString().slice(0, 16);
}

/**
 * Human text for messages, e.g. "Tuesday 31 March 2026, 19:00 (BST)". The pattern is fixed
 * (names and zone abbreviation follow the locale) so wording doesn't shift with ICU versions.
 * Throws RangeError for an invalid instant or zone.
 */
export function formatLocal(instant: Date, zone: string, locale = "en-GB"): string {
  const wall = wallClock(instant, checkedZone(zone));
  const text = (style: IntlStyle) => intlText(instant, zone, locale, style);
  const number = localeDigits(locale);
  return (
    `${text("weekday")} ${number(wall.getUTCDate())} ${text("month")} ${number(wall.getUTCFullYear(), 4)}, ` +
    `${number(wall.getUTCHours(), 2)}:${number(wall.getUTCMinutes(), 2)} (${text("zoneName")})`
  );
}

/** Short text for SMS, e.g. "Tue 31 Mar 19:00", in the same way as formatLocal. */
export function formatLocalShort(instant: Date, zone: string, locale = "en-GB"): string {
  const wall = wallClock(instant, checkedZone(zone));
  const text = (style: IntlStyle) => intlText(instant, zone, locale, style);
  const number = localeDigits(locale);
  return (
    `${text("shortWeekday")} ${number(wall.getUTCDate())} ${text("shortMonth")} ` +
    `${number(wall.getUTCHours(), 2)}:${number(wall.getUTCMinutes(), 2)}`
  );
}

/*
 * Names come from Intl exactly as luxon's toFormat took them (so texts did not change when
 * luxon went): weekdays and short months standalone, long months in a date ("format" form,
 * which differs in e.g. Polish), the zone abbreviation from a full date and time.
 */
const intlStyles = {
  weekday: [{ weekday: "long" }, "weekday"],
  shortWeekday: [{ weekday: "short" }, "weekday"],
  month: [{ month: "long", day: "numeric" }, "month"],
  shortMonth: [{ month: "short" }, "month"],
  zoneName: [
    {
      timeZoneName: "short",
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    },
    "timeZoneName",
  ],
} satisfies Record<string, [Intl.DateTimeFormatOptions, Intl.DateTimeFormatPartTypes]>;
type IntlStyle = keyof typeof intlStyles;

/** Intl formatters by style, locale and zone: each costs ~0.1 ms to build. */
const intlFormats = new Map<string, Intl.DateTimeFormat>();

function intlText(instant: Date, zone: string, locale: string, style: IntlStyle): string {
  const key = `${style} ${locale} ${zone}`;
  const [options, part] = intlStyles[style];
  let format = intlFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: zone });
    intlFormats.set(key, format);
  }
  return format.formatToParts(instant).find((candidate) => candidate.type === part)?.value ?? "";
}

type Digits = (value: number, width?: number) => string;
const digitsByLocale = new Map<string, Digits>();

/** Numbers in the locale's own digits (Arabic-Indic for "ar-EG"), zero-padded to a width. */
function localeDigits(locale: string): Digits {
  let digits = digitsByLocale.get(locale);
  if (digits === undefined) {
    const system = new Intl.DateTimeFormat(locale).resolvedOptions().numberingSystem;
    digits =
      system === "latn"
        ? (value, width = 1) => String(value).padStart(width, "0")
        : (value, width = 1) =>
            new Intl.NumberFormat(locale, { useGrouping: false, minimumIntegerDigits: width }).format(value);
    digitsByLocale.set(locale, digits);
  }
  return digits;
}

/**
 * The zone's offset from UTC in minutes at an instant (ms). tzOffset 1.5.0 flips the sign of
 * offsets between -01:00 and 00:00 (date-fns/date-fns#4279, open); no zone has had one since
 * Liberia's -00:44:30 ended in 1972.
 */
const offsetMinutes = (zone: string, instantMs: number): number => tzOffset(zone, new Date(instantMs));

/** The clock reading in `zone` at `instant`, as a Date whose UTC fields show it. */
const wallClock = (instant: Date, zone: string): Date =>
  new Date(instant.getTime() + offsetMinutes(zone, instant.getTime()) * minuteMs);

/** True when the runtime's tz database knows the name, as luxon's IANAZone.isValidZone checked. */
export function isIntlTimeZone(zone: string): boolean {
  if (zone === "") return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone }).format();
    return true;
  } catch {
    return false;
  }
}

function checkedZone(timeZone: string): string {
  if (!isValidTimeZone(timeZone)) throw new RangeError("time zone must be an IANA zone name");
  return timeZone;
}

/** The wall time as if it were UTC, in ms; undefined unless it is a real date and time. */
function parseLocalDateTime(local: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(local);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
  ];
  const wallMs = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 30 February over to March; a round trip catches that.
  return new Date(wallMs).toISOString().slice(0, 16) === local ? wallMs : undefined;
}
