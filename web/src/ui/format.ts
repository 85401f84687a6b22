// How the dashboard writes times, months, shares and reminder offsets (en-GB). Every time it
// shows goes through here and says whose clock it is on, in words: "Mon, 14 Dec 2026, 19:00
// New York time". The text is put together from Intl's parts, so it reads the same in every
// browser whatever its ICU version writes for a whole date.

/** Zones that are UTC under another name: no city to name them by. */
const utcNames = /^(Etc\/)?(UTC|UCT|GMT|GMT0|Universal|Zulu|Greenwich)$/;

/**
 * A zone's name as a person says it: its IANA id's city, "America/New_York" → "New York time".
 * Intl's long names ("Eastern Standard Time", "United Kingdom Time") change with the season
 * and the browser's ICU version; the city does not. Etc/GMT±n zones have no city: their offset.
 */
export const zoneName = (timeZone: string): string => {
  if (utcNames.test(timeZone)) return "UTC";
  // POSIX signs: Etc/GMT+5 is five hours behind UTC.
  const etc = /^Etc\/GMT([+-])(\d+)$/.exec(timeZone);
  if (etc) return `UTC${etc[1] === "+" ? "-" : "+"}${etc[2]}`;
  const city = timeZone.slice(timeZone.lastIndexOf("/") + 1).replaceAll("_", " ");
  return `${city} time`;
};

/** The browser's own zone, for times that belong to no group (when the overview was computed). */
export const viewerTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Building an Intl.DateTimeFormat costs ~0.1 ms and a page writes hundreds of times: one per zone. */
const clocks = new Map<string, Intl.DateTimeFormat>();
const clockIn = (timeZone: string) => {
  let clock = clocks.get(timeZone);
  if (clock === undefined) {
    clock = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    clocks.set(timeZone, clock);
  }
  return clock;
};

/** What the clocks in `timeZone` read at an instant, "YYYY-MM-DDTHH:mm". */
const wallTimeAt = (iso: string, timeZone: string): string => {
  const part = Object.fromEntries(
    clockIn(timeZone)
      .formatToParts(new Date(iso))
      .map((p) => [p.type, p.value]),
  );
  return `${part.year}-${part.month}-${part.day}T${part.hour}:${part.minute}`;
};

const names = new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", weekday: "short", month: "short" });

/** "2026-12-14T19:00" as "Mon, 14 Dec 2026" and "19:00": names from Intl, digits as given. */
const wallParts = (local: string) => {
  const [date = "", time = ""] = local.split("T");
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  const part = Object.fromEntries(
    names.formatToParts(new Date(Date.UTC(year, month - 1, day, 12))).map((p) => [p.type, p.value]),
  );
  return { date: `${part.weekday}, ${day} ${part.month} ${year}`, time };
};

/** A wall time in a zone ("2026-12-14T19:00", a session's startLocal), e.g. "Mon, 14 Dec 2026, 19:00 New York time". */
export const formatLocal = (local: string, timeZone: string): string => {
  const { date, time } = wallParts(local);
  return `${date}, ${time} ${zoneName(timeZone)}`;
};

/** An instant on a zone's clock, written as formatLocal writes a wall time. */
export const formatInstant = (iso: string, timeZone: string): string =>
  formatLocal(wallTimeAt(iso, timeZone), timeZone);

/** The date of an instant on a zone's clock, e.g. "Mon, 14 Dec 2026": a date needs no zone named. */
export const formatDate = (iso: string, timeZone: string): string =>
  wallParts(wallTimeAt(iso, timeZone)).date;

/** The hint under a field that takes a wall time on the group's clock. */
export const groupClockHint = (timeZone: string): string => `In ${zoneName(timeZone)}, the group's time zone`;

/** "2026-03" as "Mar 2026". */
export const formatMonth = (month: string): string =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", month: "short", year: "numeric" }).format(
    new Date(`${month}-01T00:00:00Z`),
  );

/** A share from 0 to 1 as a whole percentage. */
export const formatShare = (share: number): string => `${Math.round(share * 100)}%`;

const units = [
  [10_080, "week"],
  [1_440, "day"],
  [60, "hour"],
  [1, "minute"],
] as const;

/** Minutes before a session in the largest whole unit, e.g. 2880 as "2 days". */
export const formatOffset = (minutes: number): string => {
  const [size, unit] = units.find(([size]) => minutes % size === 0) ?? [1, "minute"];
  const n = minutes / size;
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
};
