import ICAL from "ical.js";

// Reads a calendar feed with ical.js, a different library than the one that writes it, so a
// test checks what a subscribed calendar would understand. Each zone is taken from the feed's
// own VTIMEZONE, never from the machine's tz data.

export interface FeedRead {
  calendar: ICAL.Component;
  vevents: ICAL.Component[];
  /** The value of a property of the VCALENDAR, as text. */
  calendarProperty(name: string): string | undefined;
  /** The instant a DATE-TIME property denotes, through the feed's VTIMEZONE of its TZID. */
  instantOf(event: ICAL.Component, name: "dtstart" | "dtend" | "recurrence-id"): Date;
  /** The starts a recurring VEVENT's RRULE, RDATE and EXDATE give, from `from` on, at most `count`. */
  expand(event: ICAL.Component, from: Date, count: number): Date[];
}

export function readFeed(ics: string): FeedRead {
  const calendar = new ICAL.Component(ICAL.parse(ics) as unknown[]);
  const zones = new Map<string, ICAL.Timezone>();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    const zone = new ICAL.Timezone(vtimezone);
    zones.set(String(vtimezone.getFirstPropertyValue("tzid")), zone);
  }
  const instant = (time: ICAL.Time, tzid: string | undefined): Date => {
    const wallMs = Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);
    if (tzid === undefined) {
      if (!time.isDate && time.zone?.tzid === "UTC") return new Date(wallMs);
      throw new Error("a floating time in a feed: every time must have a zone");
    }
    const zone = zones.get(tzid);
    if (!zone) throw new Error(`no VTIMEZONE for ${tzid}`);
    return new Date(wallMs - zone.utcOffset(time) * 1000);
  };
  return {
    calendar,
    vevents: calendar.getAllSubcomponents("vevent"),
    calendarProperty: (name) => {
      const value = calendar.getFirstPropertyValue(name);
      return value === null ? undefined : String(value);
    },
    instantOf(event, name) {
      const property = event.getFirstProperty(name);
      if (!property) throw new Error(`no ${name}`);
      return instant(property.getFirstValue() as ICAL.Time, property.getParameter("tzid") as string);
    },
    expand(event, from, count) {
      const tzid = event.getFirstProperty("dtstart")!.getParameter("tzid") as string;
      const iterator = new ICAL.Event(event).iterator();
      const found: Date[] = [];
      for (let next = iterator.next(); next && found.length < count; next = iterator.next()) {
        const at = instant(next, tzid);
        if (at >= from) found.push(at);
      }
      return found;
    },
  };
}
