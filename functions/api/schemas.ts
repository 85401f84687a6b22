import { z } from "@hono/zod-openapi";
import { isValidLocalDateTime, isValidTimeZone } from "../../shared/domain/local-time.ts";
import { leadershipModels } from "../../shared/domain/group.ts";
import { channels } from "../../shared/domain/member.ts";
import { dutyKinds } from "../../shared/domain/session.ts";

// Request and response shapes of /api/v1. The same schemas validate requests and generate
// /api/v1/openapi.json, so the document cannot drift from what the server accepts.

export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "must be an id of letters, digits, - or _");

// A refinement cannot appear in the document; the pattern and description say what it checks.
const TimeZone = z
  .string()
  .refine(isValidTimeZone, "must be an IANA time zone such as Europe/London")
  .openapi({
    example: "Europe/London",
    pattern: "^(UTC|[A-Z][A-Za-z0-9_+-]*(/[A-Z][A-Za-z0-9_+-]*)+)$",
    description: "An IANA time zone name in Area/Location form, or UTC; not an offset or abbreviation",
  });
const LocalDateTime = z
  .string()
  .refine(isValidLocalDateTime, "must be a local date and time written YYYY-MM-DDTHH:mm")
  .openapi({
    example: "2026-12-01T19:00",
    pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$",
    description: "A real date and wall-clock time in the group's time zone, written YYYY-MM-DDTHH:mm",
  });
const HourMinute = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:mm");
const E164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, "must be a phone number in E.164 form, e.g. +447700900123");

export const OrganisationInput = z
  .object({ name: z.string().trim().min(1).max(200) })
  .strict()
  .openapi("OrganisationInput");
export const Organisation = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string() })
  .openapi("Organisation");

export const GroupInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    timeZone: TimeZone,
    leadershipModel: z.enum(leadershipModels).default("collective"),
  })
  .strict()
  .openapi("GroupInput");
export const Group = z
  .object({
    organisationId: z.string(),
    id: z.string(),
    name: z.string(),
    timeZone: z.string(),
    leadershipModel: z.enum(leadershipModels),
    createdAt: z.string(),
  })
  .openapi("Group");

/** From 5 minutes to 30 days before a session. */
const ReminderPreference = z
  .object({ channel: z.enum(channels), offsetMinutes: z.int().min(5).max(43_200) })
  .strict();

export const MemberInput = z
  .object({
    name: z.string().trim().min(1).max(200),
    email: z.email(),
    phone: E164.optional(),
    reminders: z
      .array(ReminderPreference)
      .max(6)
      .default([{ channel: "email", offsetMinutes: 2880 }]),
    quietHours: z.object({ start: HourMinute, end: HourMinute }).strict().optional(),
  })
  .strict()
  .refine((m) => m.phone !== undefined || m.reminders.every((r) => r.channel !== "sms"), {
    message: "an SMS reminder needs a phone number",
    path: ["phone"],
  })
  .openapi("MemberInput");
export const MemberPatch = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    email: z.email().optional(),
    phone: E164.nullable().optional(),
    reminders: z.array(ReminderPreference).max(6).optional(),
    quietHours: z.object({ start: HourMinute, end: HourMinute }).strict().nullable().optional(),
  })
  .strict()
  .openapi("MemberPatch");
export const Member = z
  .object({
    organisationId: z.string(),
    id: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.string().optional(),
    reminders: z.array(ReminderPreference),
    quietHours: z.object({ start: z.string(), end: z.string() }).optional(),
    unsubscribed: z.array(z.enum(channels)),
    createdAt: z.string(),
  })
  .openapi("Member");

const Venue = z
  .object({ name: z.string().trim().min(1).max(200), address: z.string().max(500).optional() })
  .strict();
const Duty = z.object({ kind: z.enum(dutyKinds), holderMemberId: Id.optional() }).strict();

export const SessionInput = z
  .object({
    title: z.string().trim().min(1).max(120),
    startLocal: LocalDateTime,
    durationMinutes: z.int().min(15).max(720).default(90),
    venue: Venue.optional(),
    onlineUrl: z.url({ protocol: /^https?$/ }).optional(),
    facilitatorMemberId: Id.optional(),
    duties: z.array(Duty).max(12).default([]),
  })
  .strict()
  .openapi("SessionInput");
export const RescheduleInput = z
  .object({ startLocal: LocalDateTime, durationMinutes: z.int().min(15).max(720).optional() })
  .strict()
  .openapi("RescheduleInput");
export const CancelInput = z
  .object({ reason: z.string().max(500).optional() })
  .strict()
  .openapi("CancelInput");
export const Session = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    id: z.string(),
    version: z.int(),
    title: z.string(),
    startLocal: z.string(),
    startsAt: z.string().openapi({ description: "The start as a UTC instant" }),
    timeZone: z.string(),
    durationMinutes: z.int(),
    venue: Venue.optional(),
    onlineUrl: z.string().optional(),
    facilitatorMemberId: z.string().optional(),
    duties: z.array(Duty),
    status: z.enum(["scheduled", "cancelled"]),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Session");

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");
