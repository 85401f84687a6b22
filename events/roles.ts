import * as z from "#validation/zod-mini.ts";
import { eventEnvelope, nonEmpty } from "./envelope.ts";

// Role events carry ids only: a member's name or contact details never travel on the bus,
// its archive or a dead letter; handlers read them from the store.

/** A holder left a role: they stepped down, left the group, or their term ended. */
export const RoleVacated = eventEnvelope(
  "RoleVacated",
  z.strictObject({
    roleId: nonEmpty(),
    memberId: nonEmpty(),
    reason: z.enum(["stepped-down", "left-group", "term-ended"]),
    vacatedAt: z.iso.datetime(),
  }),
);

/** A member took a role, and how the group decided it. */
export const RoleFilled = eventEnvelope(
  "RoleFilled",
  z.strictObject({
    roleId: nonEmpty(),
    memberId: nonEmpty(),
    how: z.enum(["appointed", "confirmed", "elected", "offered-and-accepted", "assigned"]),
  }),
);

/** A member volunteered for a vacant role (once per member and vacancy). */
export const VolunteerOffered = eventEnvelope(
  "VolunteerOffered",
  z.strictObject({ roleId: nonEmpty(), memberId: nonEmpty() }),
);

/** A critical role is still vacant: the umbrella admins are alerted (once per vacancy). */
export const RoleVacancyEscalated = eventEnvelope(
  "RoleVacancyEscalated",
  z.strictObject({ roleId: nonEmpty(), vacantSince: z.iso.datetime() }),
);

/** A member's completed training was recorded; groupId is the group it was recorded through. */
export const TrainingRecorded = eventEnvelope(
  "TrainingRecorded",
  z.strictObject({ memberId: nonEmpty(), trainingId: nonEmpty() }),
);

/** Scheduled: a vacancy's volunteering window (or, collective, its objection window) has closed. */
export const VolunteeringClosed = eventEnvelope(
  "VolunteeringClosed",
  z.strictObject({
    roleId: nonEmpty(),
    vacantSince: z.iso.datetime(),
    stage: z.enum(["volunteering", "objections"]),
  }),
);

/** Scheduled (rotating groups): an offer of the role went unanswered; it counts as declined. */
export const RoleOfferLapsed = eventEnvelope(
  "RoleOfferLapsed",
  z.strictObject({ roleId: nonEmpty(), vacantSince: z.iso.datetime(), memberId: nonEmpty() }),
);

/**
 * A member declined the offer of a role (rotating groups), by reply or link: the offer passes
 * on to the next member, or everyone is called to volunteer, by the function that sends.
 */
export const RoleOfferDeclined = eventEnvelope(
  "RoleOfferDeclined",
  z.strictObject({ roleId: nonEmpty(), vacantSince: z.iso.datetime(), memberId: nonEmpty() }),
);

/** Scheduled: a critical role may have been vacant too long; escalated if it still is. */
export const VacancyEscalationDue = eventEnvelope(
  "VacancyEscalationDue",
  z.strictObject({ roleId: nonEmpty(), vacantSince: z.iso.datetime() }),
);

/** Scheduled: a holder's term ends; the role is vacated if they still hold it on that term. */
export const RoleTermEnded = eventEnvelope(
  "RoleTermEnded",
  z.strictObject({ roleId: nonEmpty(), memberId: nonEmpty(), since: z.iso.datetime() }),
);

/** Scheduled: a member's training expires soon; reminded unless they renewed it meanwhile. */
export const TrainingExpiryDue = eventEnvelope(
  "TrainingExpiryDue",
  z.strictObject({ memberId: nonEmpty(), trainingId: nonEmpty(), completedAt: z.iso.datetime() }),
);

export type RoleVacated = z.infer<typeof RoleVacated>;
export type RoleFilled = z.infer<typeof RoleFilled>;
export type VolunteerOffered = z.infer<typeof VolunteerOffered>;
export type RoleVacancyEscalated = z.infer<typeof RoleVacancyEscalated>;
export type TrainingRecorded = z.infer<typeof TrainingRecorded>;
export type VolunteeringClosed = z.infer<typeof VolunteeringClosed>;
export type VacancyEscalationDue = z.infer<typeof VacancyEscalationDue>;
export type RoleTermEnded = z.infer<typeof RoleTermEnded>;
export type TrainingExpiryDue = z.infer<typeof TrainingExpiryDue>;
export type RoleOfferLapsed = z.infer<typeof RoleOfferLapsed>;
export type RoleOfferDeclined = z.infer<typeof RoleOfferDeclined>;
