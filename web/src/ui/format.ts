// How the dashboard writes instants, local times, months, shares and reminder offsets (en-GB).

/** An instant in a group's time zone, e.g. "Tue 2 Dec 2025, 19:00". */
export const formatInstant = (iso: string, timeZone: string): string =>
  new Intl.DateTimeFormat("en-GB", {
    timeZone,
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));

/** A wall-clock time already in the group's zone (a session's startLocal), written the same way. */
export const formatLocal = (local: string): string => formatInstant(`${local}:00Z`, "UTC");

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
