import { z } from "zod";
import { dutyKinds } from "../shared/domain/session.ts";
import { eventEnvelope } from "./envelope.ts";

/** What events say about a session: ids and logistics only, never a member's details. */
export const sessionSnapshot = z
  .object({
    id: z.string().min(1),
    version: z.int().min(1),
    title: z.string(),
    startLocal: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
    timeZone: z.string().min(1),
    durationMinutes: z.int().positive(),
    venue: z.object({ name: z.string(), address: z.string().optional() }).optional(),
    onlineUrl: z.url().optional(),
    facilitatorMemberId: z.string().optional(),
    duties: z.array(z.object({ kind: z.enum(dutyKinds), holderMemberId: z.string().optional() })),
  })
  .strict();

export const SessionScheduled = eventEnvelope(
  "SessionScheduled",
  z.object({ session: sessionSnapshot }).strict(),
);

export const SessionRescheduled = eventEnvelope(
  "SessionRescheduled",
  z.object({ session: sessionSnapshot, previousStartLocal: z.string() }).strict(),
);

export const SessionCancelled = eventEnvelope(
  "SessionCancelled",
  z.object({ session: sessionSnapshot, reason: z.string().max(500).optional() }).strict(),
);

/** Fired by the scheduler at one planned instant; the handler works out who is due then. */
export const SessionReminderDue = eventEnvelope(
  "SessionReminderDue",
  z
    .object({ sessionId: z.string().min(1), sessionVersion: z.int().min(1), dueAt: z.iso.datetime() })
    .strict(),
);

export type SessionScheduled = z.infer<typeof SessionScheduled>;
export type SessionRescheduled = z.infer<typeof SessionRescheduled>;
export type SessionCancelled = z.infer<typeof SessionCancelled>;
export type SessionReminderDue = z.infer<typeof SessionReminderDue>;
