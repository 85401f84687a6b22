import { tzlib_get_ical_block } from "timezones-ical-library";

/** VTIMEZONE blocks by zone: the library builds each from its data on every lookup (~0.3 ms). */
const vtimezones = new Map<string, string>();

/**
 * The VTIMEZONE block of an IANA zone, for ical-generator's timezone generator: every TZID
 * a calendar uses needs one, or some clients misread the times. Throws for a zone the library
 * does not know, rather than write a TZID without its definition.
 */
export function vtimezoneFor(zone: string): string {
  const known = vtimezones.get(zone);
  if (known !== undefined) return known;
  const block = tzlib_get_ical_block(zone);
  if (!Array.isArray(block) || typeof block[0] !== "string" || block[0] === "") {
    throw new RangeError(`no VTIMEZONE known for time zone ${zone}`);
  }
  vtimezones.set(zone, block[0]);
  return block[0];
}
