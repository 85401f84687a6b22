import * as z from "../shared/validation/zod-mini.ts";
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

export type RoleVacated = z.infer<typeof RoleVacated>;
export type RoleFilled = z.infer<typeof RoleFilled>;
export type VolunteerOffered = z.infer<typeof VolunteerOffered>;
export type RoleVacancyEscalated = z.infer<typeof RoleVacancyEscalated>;
export type TrainingRecorded = z.infer<typeof TrainingRecorded>;
