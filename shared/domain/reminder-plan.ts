import { createHash } from "node:crypto";
import { takesSms } from "./consent.ts";
import { localDateTimeAt, sessionStartInstant, wallTimeInstant } from "./local-time.ts";
import { smsSendAt } from "./sms-quiet-hours.ts";
import {
  emailArrives,
  type Channel,
  type Member,
  type QuietHours,
  type ReminderPreference,
} from "./member.ts";
import type { Session } from "./session.ts";

/** One message to send: to a member, on a channel, for one of their offsets. */
export interface PlannedReminder {
  memberId: string;
  channel: Channel;
  offsetMinutes: number;
  /** ISO UTC instant with milliseconds, e.g. "2026-03-29T17:00:00.000Z". */
  sendAt: string;
}

export interface ReminderPlanRequest {
  session: Session;
  members: readonly Member[];
  /** Reminders due at or before this instant are dropped: we never send late. */
  now: Date;
}

const minuteMs = 60_000;
const maxDeliveryKeyLength = 200;

/**
 * The reminders still to send for the current version of a session, in sending order
 * (sendAt, then member, then channel).
 * 1. A cancelled session gets none.
 * 2. Each member's distinct (channel, offset) preferences, on channels they can receive:
 *    not unsubscribed, and SMS only with a phone number whose SMS consent stands (takesSms).
 * 3. sendAt is the start minus the offset in real minutes, so "48 hours before" is 48 real
 *    hours even when the clocks change in between (47 or 49 on the wall clock).
 * 4. An SMS due in the member's quiet hours moves earlier, never later (see beforeQuietHours);
 *    one due in the group's quiet hours, for a member without their own, waits until they
 *    end unless that is after the start (see smsSendAt).
 * 5. Anything not after `now`, or after the start, is dropped.
 */
export function planReminders({ session, members, now }: ReminderPlanRequest): PlannedReminder[] {
  if (session.status === "cancelled") return [];
  const startMs = sessionStartInstant(session.startLocal, session.timeZone).getTime();
  return members
    .flatMap((member) =>
      distinctPreferences(member.reminders)
        .filter((preference) => canReceive(member, preference.channel))
        .map((preference) => ({
          member,
          preference,
          sendAtMs: sendAtFor(member, preference, startMs, session.timeZone),
        })),
    )
    .filter(({ sendAtMs }) => sendAtMs > now.getTime() && sendAtMs <= startMs)
    .map(({ member, preference, sendAtMs }) => ({
      memberId: member.id,
      channel: preference.channel,
      offsetMinutes: preference.offsetMinutes,
      sendAt: new Date(sendAtMs).toISOString(),
    }))
    .sort(inSendingOrder);
}

/** The distinct instants at which something is sent: one schedule each. */
export function reminderInstants(plan: readonly PlannedReminder[]): string[] {
  // Same-format ISO UTC strings sort chronologically.
  return [...new Set(plan.map((reminder) => reminder.sendAt))].sort();
}

/**
 * The reminders of a plan that fall due at exactly this instant (what one schedule sends).
 * When re-planning at firing time, pass a `now` just before the instant (e.g. 1 ms): with
 * the firing time itself as `now`, these very reminders would be dropped as already past.
 */
export function remindersDueAt(plan: readonly PlannedReminder[], instant: Date | string): PlannedReminder[] {
  const dueMs = new Date(instant).getTime();
  return plan.filter((reminder) => Date.parse(reminder.sendAt) === dueMs);
}

/**
 * Identifies one message, for the conditional write that claims it before sending: the same
 * reminder delivered twice maps to the same key, and a new session version to a new one.
 * Readable when it fits in 200 characters (ids carry no personal data), else a digest.
 */
export function deliveryKey(
  session: Pick<Session, "organisationId" | "id" | "version">,
  reminder: Pick<PlannedReminder, "memberId" | "channel" | "offsetMinutes">,
): string {
  const key = [
    "reminder",
    session.organisationId,
    session.id,
    `v${session.version}`,
    reminder.memberId,
    reminder.channel,
    `${reminder.offsetMinutes}m`,
  ]
    // Encoding keeps "#" inside an id from making two different keys read the same.
    .map(encodeURIComponent)
    .join("#");
  return key.length <= maxDeliveryKeyLength
    ? key
    : `reminder#sha256#${createHash("sha256").update(key).digest("hex")}`;
}

/**
 * Where an instant falls inside quiet hours (read in the session's zone; the window may wrap
 * midnight; start inclusive, end exclusive), the last minute before that window began;
 * otherwise the instant itself. Earlier, never later: a text at 20:59 beats one at 06:30.
 */
function beforeQuietHours(dueMs: number, quietHours: QuietHours, timeZone: string): number {
  const local = localDateTimeAt(new Date(dueMs), timeZone);
  const [date, time] = [local.slice(0, 10), local.slice(11)];
  const minute = minuteOfDay(time);
  const start = minuteOfDay(quietHours.start);
  const end = minuteOfDay(quietHours.end);
  // start = end is an empty window (no quiet hours), not a silent day.
  const wrapsMidnight = start > end;
  const inside = wrapsMidnight ? minute >= start || minute < end : minute >= start && minute < end;
  if (!inside) return dueMs;
  const beganOn = wrapsMidnight && minute < end ? dayBefore(date) : date;
  // If the clocks skip the window's start, the window began at the jump; "earlier" lands
  // before the jump, so the moved reminder can't end up inside the window or later.
  const began = wallTimeInstant(`${beganOn}T${quietHours.start}`, timeZone, "earlier");
  return began.getTime() - minuteMs;
}

function sendAtFor(
  member: Member,
  preference: ReminderPreference,
  startMs: number,
  timeZone: string,
): number {
  const dueMs = startMs - preference.offsetMinutes * minuteMs;
  if (preference.channel !== "sms") return dueMs;
  if (member.quietHours) return beforeQuietHours(dueMs, member.quietHours, timeZone);
  // Without quiet hours of their own, the group's (21:00–08:00): see smsSendAt.
  return smsSendAt(new Date(dueMs), timeZone, new Date(startMs), "reminder").getTime();
}

function distinctPreferences(preferences: readonly ReminderPreference[]): ReminderPreference[] {
  const seen = new Set<string>();
  return preferences.filter(({ channel, offsetMinutes }) => {
    const key = `${channel}:${offsetMinutes}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function canReceive(member: Member, channel: Channel): boolean {
  if (member.unsubscribed.includes(channel)) return false;
  if (channel === "email" && !emailArrives(member)) return false;
  return channel !== "sms" || takesSms(member);
}

function inSendingOrder(a: PlannedReminder, b: PlannedReminder): number {
  return (
    compareText(a.sendAt, b.sendAt) ||
    compareText(a.memberId, b.memberId) ||
    compareText(a.channel, b.channel) ||
    a.offsetMinutes - b.offsetMinutes
  );
}

/** Code-unit order, so sorting doesn't depend on the runtime's locale. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function minuteOfDay(time: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new RangeError("quiet hours must be written HH:mm");
  return Number(match[1]) * 60 + Number(match[2]);
}

function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
