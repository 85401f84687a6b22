import * as z from "#validation/zod-mini.ts";
import { dutyKinds, maxHeadcount } from "#domain/session.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

/** What events say about a session: ids and logistics only, never a member's details. */
export const sessionSnapshot = z.strictObject({
  id: nonEmpty(),
  version: z.int().check(z.minimum(1)),
  title: z.string(),
  startLocal: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)),
  timeZone: nonEmpty(),
  durationMinutes: z.int().check(z.positive()),
  venue: z.optional(z.object({ name: z.string(), address: z.optional(z.string()) })),
  onlineUrl: z.optional(z.url()),
  facilitatorMemberId: z.optional(z.string()),
  duties: z.array(z.object({ kind: z.enum(dutyKinds), holderMemberId: z.optional(z.string()) })),
});

export const SessionScheduled = eventEnvelope(
  "SessionScheduled",
  z.strictObject({ session: sessionSnapshot }),
);

/**
 * `cause` "series-edited" when an edit of the session's series changed it (its time, place
 * or who does what): members are told at once only within 48 hours, else in their next reminder.
 */
export const SessionRescheduled = eventEnvelope(
  "SessionRescheduled",
  z.strictObject({
    session: sessionSnapshot,
    previousStartLocal: z.string(),
    cause: z.optional(z.enum(["series-edited"])),
  }),
);

/**
 * `cause` is set when the cancellation is not a coordinator's own: the session's series
 * ended, or an edit of the series dropped its date.
 */
export const SessionCancelled = eventEnvelope(
  "SessionCancelled",
  z.strictObject({
    session: sessionSnapshot,
    reason: z.optional(z.string().check(z.maxLength(500))),
    cause: z.optional(z.enum(["series-ended", "series-edited"])),
  }),
);

/**
 * A coordinator recorded (or corrected) how many came to a session. `previousHeadcount` is the
 * count this one replaces, so the monthly trends can add the difference.
 */
export const SessionAttendanceRecorded = eventEnvelope(
  "SessionAttendanceRecorded",
  z.strictObject({
    sessionId: nonEmpty(),
    sessionVersion: z.int().check(z.minimum(1)),
    startLocal: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/)),
    headcount: z.int().check(z.minimum(0), z.maximum(maxHeadcount)),
    previousHeadcount: z.optional(z.int().check(z.minimum(0), z.maximum(maxHeadcount))),
  }),
);

/** Fired by the scheduler at one planned instant; the handler works out who is due then. */
export const SessionReminderDue = eventEnvelope(
  "SessionReminderDue",
  z.strictObject({
    sessionId: nonEmpty(),
    sessionVersion: z.int().check(z.minimum(1)),
    dueAt: z.iso.datetime(),
  }),
);

/** Scheduled: 7 days (early) or 48 hours (final) before a session; alerts if it has no facilitator. */
export const FacilitatorCheckDue = eventEnvelope(
  "FacilitatorCheckDue",
  z.strictObject({
    sessionId: nonEmpty(),
    sessionVersion: z.int().check(z.minimum(1)),
    alert: z.enum(["early", "final"]),
  }),
);

/**
 * Scheduled when a change's text must wait for quiet hours to end: texts that version's
 * notice to members who take texts, unless the session has changed again since.
 */
export const SessionChangeTextDue = eventEnvelope(
  "SessionChangeTextDue",
  z.strictObject({
    sessionId: nonEmpty(),
    sessionVersion: z.int().check(z.minimum(1)),
    notice: z.enum(["moved", "cancelled"]),
  }),
);

export type SessionScheduled = z.infer<typeof SessionScheduled>;
export type SessionRescheduled = z.infer<typeof SessionRescheduled>;
export type SessionCancelled = z.infer<typeof SessionCancelled>;
export type SessionAttendanceRecorded = z.infer<typeof SessionAttendanceRecorded>;
export type SessionReminderDue = z.infer<typeof SessionReminderDue>;
export type FacilitatorCheckDue = z.infer<typeof FacilitatorCheckDue>;
export type SessionChangeTextDue = z.infer<typeof SessionChangeTextDue>;
