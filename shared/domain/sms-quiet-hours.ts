import { localDateTimeAt, wallTimeInstant } from "./local-time.ts";
import type { QuietHours } from "./member.ts";

/** No text arrives between these wall-clock times in the group's zone, unless it cannot wait. */
export const groupQuietHours: QuietHours = { start: "21:00", end: "08:00" };

/**
 * A change to a session is texted at once, even in quiet hours, when waiting for them to end
 * would leave the member less than this before the session starts (e.g. at 22:00, a session
 * tomorrow at 09:30 that was cancelled): a late night text beats a wasted journey.
 */
export const urgentChangeNoticeMs = 3 * 60 * 60_000;

const minuteMs = 60_000;

/** The quiet window an instant falls in (read in `timeZone`), as instants; undefined outside one. */
export function quietWindowAt(
  at: Date,
  timeZone: string,
  quiet: QuietHours = groupQuietHours,
): { began: Date; ends: Date } | undefined {
  const local = localDateTimeAt(at, timeZone);
  const [date, time] = [local.slice(0, 10), local.slice(11)];
  const minute = minuteOfDay(time);
  const [start, end] = [minuteOfDay(quiet.start), minuteOfDay(quiet.end)];
  // start = end is an empty window (no quiet hours), not a silent day.
  const wrapsMidnight = start > end;
  const inside = wrapsMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return undefined;
  const afterMidnight = wrapsMidnight && minute < end;
  const beganOn = afterMidnight ? shiftDay(date, -1) : date;
  const endsOn = wrapsMidnight && !afterMidnight ? shiftDay(date, 1) : date;
  return {
    // If the clocks skip either time, take the instant of the jump.
    began: wallTimeInstant(`${beganOn}T${quiet.start}`, timeZone, "earlier"),
    ends: wallTimeInstant(`${endsOn}T${quiet.end}`, timeZone, "later"),
  };
}

/**
 * When a text due at `due` is sent, given the group's quiet hours (21:00–08:00 in its zone).
 * Outside them: when due. Inside them, it waits until they end, except:
 * - a reminder that would then arrive after the session started goes out the minute before
 *   they began instead (a reminder must come before the session, and earlier beats at night);
 * - a change (moved, cancelled) goes out at once when waiting would leave the member less
 *   than urgentChangeNoticeMs before the session starts (the earlier start, for a move).
 */
export function smsSendAt(
  due: Date,
  timeZone: string,
  sessionStartsAt: Date,
  kind: "reminder" | "change",
): Date {
  const window = quietWindowAt(due, timeZone);
  if (!window) return due;
  if (kind === "change")
    return sessionStartsAt.getTime() - window.ends.getTime() < urgentChangeNoticeMs ? due : window.ends;
  if (window.ends.getTime() < sessionStartsAt.getTime()) return window.ends;
  return new Date(window.began.getTime() - minuteMs);
}

function minuteOfDay(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError("quiet hours must be written HH:mm");
  return Number(match[1]) * 60 + Number(match[2]);
}

function shiftDay(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
