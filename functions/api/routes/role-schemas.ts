import type { Ports } from "#ports/ports.ts";
import { dutyKinds } from "#domain/session.ts";
import { currentVacancy, type RoleView } from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { Id } from "../schemas.ts";

// What the role resources share: their path parameters, the catalogue's role definition and
// a group's role as the API shows it (with the volunteers for its vacancy).

export const Slug = z
  .string()
  .check(z.maxLength(100), z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens"));
export const Instant = z.iso.datetime({ offset: true }).register(z.globalRegistry, {
  example: "2027-06-01T00:00:00Z",
  description: "An instant in ISO 8601 with Z or an offset",
});

export const RoleParams = z.object({ organisationId: Id, groupId: Id, roleId: Slug });
export const HolderParams = z.object({ organisationId: Id, groupId: Id, roleId: Slug, memberId: Id });
export const MemberParams = z.object({ organisationId: Id, groupId: Id, memberId: Id });

export const RoleDefinition = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    pay: z.enum(["paid", "voluntary"]),
    critical: z.boolean(),
    requiredTrainingIds: z.array(z.string()),
    termMonths: z.optional(z.int()),
    duty: z.optional(z.enum(dutyKinds)),
  })
  .register(z.globalRegistry, { id: "RoleDefinition" });

const Holder = z.object({
  memberId: z.string(),
  since: z.string(),
  termEndsAt: z.optional(z.string()),
  trainingOverride: z.optional(
    z.object({ by: z.string(), reason: z.string(), at: z.string(), trainingIds: z.array(z.string()) }),
  ),
});

export const GroupRoleView = z
  .object({
    organisationId: z.string(),
    groupId: z.string(),
    roleId: z.string(),
    holders: z.array(Holder),
    maxHolders: z.int(),
    vacantSince: z.optional(z.string()),
    version: z.int(),
    definition: RoleDefinition,
    volunteers: z
      .array(z.object({ memberId: z.string(), volunteeredAt: z.string() }))
      .register(z.globalRegistry, {
        description: "Who volunteered for the current vacancy; empty while the role is held",
      }),
  })
  .register(z.globalRegistry, { id: "GroupRole" });

/** A role as the API answers it: with the volunteers for its current vacancy, if any. */
export const withVolunteers = async (ports: Ports, role: RoleView) => ({
  ...role,
  volunteers: role.vacantSince === undefined ? [] : await ports.roles.listVolunteers(currentVacancy(role)),
});
