import { requireGroup, requireOrganisation, requireUmbrellaAdmin } from "#access/principal.ts";
import { conflict, invalid, notFound } from "#domain/errors.ts";
import { leadershipModels } from "#domain/group.ts";
import { dutyKinds } from "#domain/session.ts";
import type { Ports } from "#ports/ports.ts";
import {
  appointVolunteer,
  assignRole,
  currentVacancy,
  getRoleView,
  listRoles,
  recordTraining,
  setLeadership,
  stepDownFromRole,
  takeUpRole,
  volunteerFor,
  type RoleView,
} from "#use-cases/roles.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const Slug = z
  .string()
  .check(z.maxLength(100), z.regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "must be lower-case words joined by hyphens"));
const Instant = z.iso.datetime({ offset: true }).register(z.globalRegistry, {
  example: "2027-06-01T00:00:00Z",
  description: "An instant in ISO 8601 with Z or an offset",
});
const OrgParams = z.object({ organisationId: Id });
const GroupParams = z.object({ organisationId: Id, groupId: Id });
const RoleParams = z.object({ organisationId: Id, groupId: Id, roleId: Slug });
const HolderParams = z.object({ organisationId: Id, groupId: Id, roleId: Slug, memberId: Id });
const MemberParams = z.object({ organisationId: Id, groupId: Id, memberId: Id });
const groupBase = "/organisations/{organisationId}/groups/{groupId}";

const RoleDefinitionInput = z
  .strictObject({
    id: Slug,
    name: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    description: z._default(z.string().check(z.trim(), z.maxLength(1000)), ""),
    pay: z.enum(["paid", "voluntary"]),
    critical: z._default(z.boolean(), false),
    requiredTrainingIds: z._default(z.array(Slug).check(z.maxLength(20)), []),
    termMonths: z.optional(z.int().check(z.minimum(1), z.maximum(120))),
    duty: z.optional(z.enum(dutyKinds)),
  })
  .register(z.globalRegistry, { id: "RoleDefinitionInput" });
const RoleDefinition = z
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
const GroupRoleView = z
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

const TakeUpInput = z
  .strictObject({
    roleId: Slug,
    maxHolders: z.optional(z.int().check(z.minimum(1), z.maximum(10))),
  })
  .register(z.globalRegistry, { id: "GroupRoleInput" });
const AssignInput = z
  .strictObject({
    memberId: Id,
    termEndsAt: z.optional(Instant),
    override: z.optional(
      z
        .strictObject({ reason: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)) })
        .register(z.globalRegistry, {
          description:
            "Umbrella admins only: assign although required training is not current, with the reason",
        }),
    ),
  })
  .register(z.globalRegistry, { id: "HolderInput" });
const VolunteerInput = z.strictObject({ memberId: Id }).register(z.globalRegistry, { id: "VolunteerInput" });
const AppointmentInput = z
  .strictObject({ memberId: Id })
  .register(z.globalRegistry, { id: "AppointmentInput" });
const LeadershipInput = z
  .strictObject({
    leadershipModel: z.optional(z.enum(leadershipModels)),
    leaderMemberId: z.optional(z.nullable(Id)),
    rotationOrder: z.optional(z.array(Id).check(z.maxLength(500))),
    coordinatorMemberIds: z.optional(z.array(Id).check(z.maxLength(50))),
  })
  .register(z.globalRegistry, { id: "LeadershipInput" });
const Leadership = z.object({
  leadershipModel: z.enum(leadershipModels),
  leaderMemberId: z.optional(z.string()),
  rotationOrder: z.optional(z.array(z.string())),
  coordinatorMemberIds: z.optional(z.array(z.string())),
});
const TrainingInput = z
  .strictObject({
    trainingId: Slug,
    completedAt: Instant,
    expiresAt: z.optional(Instant),
  })
  .register(z.globalRegistry, { id: "TrainingInput" });
const TrainingRecord = z
  .object({
    memberId: z.string(),
    trainingId: z.string(),
    completedAt: z.string(),
    expiresAt: z.optional(z.string()),
  })
  .register(z.globalRegistry, { id: "TrainingRecord" });
const VolunteerOutcome = z.object({
  outcome: z.enum(["recorded", "already-volunteered"]),
});

const catalogue = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/role-catalogue",
  operationId: "getRoleCatalogue",
  summary: "The organisation's role catalogue (the defaults until the umbrella extends it)",
  params: OrgParams,
  responses: { 200: json("The catalogue", z.object({ items: z.array(RoleDefinition) })), ...errorResponses },
});
const extendCatalogue = defineRoute({
  method: "post",
  path: "/organisations/{organisationId}/role-catalogue",
  operationId: "addRoleDefinition",
  summary: "Add a role to the catalogue (umbrella admins)",
  params: OrgParams,
  body: { schema: RoleDefinitionInput, required: true },
  responses: {
    201: json("The extended catalogue", z.object({ items: z.array(RoleDefinition) })),
    ...errorResponses,
  },
});
const list = defineRoute({
  method: "get",
  path: `${groupBase}/roles`,
  operationId: "listGroupRoles",
  summary: "The group's roles, their holders, and the volunteers for each vacancy",
  params: GroupParams,
  responses: { 200: json("Roles", z.object({ items: z.array(GroupRoleView) })), ...errorResponses },
});
const takeUp = defineRoute({
  method: "post",
  path: `${groupBase}/roles`,
  operationId: "takeUpRole",
  summary: "The group takes up a catalogue role (vacant until someone holds it)",
  params: GroupParams,
  body: { schema: TakeUpInput, required: true },
  responses: { 201: json("Taken up", GroupRoleView), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${groupBase}/roles/{roleId}`,
  operationId: "getGroupRole",
  summary: "One role with its holders and volunteers",
  params: RoleParams,
  responses: { 200: json("The role", GroupRoleView), ...errorResponses },
});
const assign = defineRoute({
  method: "post",
  path: `${groupBase}/roles/{roleId}/holders`,
  operationId: "assignRole",
  summary: "Assign a member to the role (training must be current, or an admin's override)",
  params: RoleParams,
  body: { schema: AssignInput, required: true },
  responses: { 201: json("Assigned", GroupRoleView), ...errorResponses },
});
const stepDown = defineRoute({
  method: "delete",
  path: `${groupBase}/roles/{roleId}/holders/{memberId}`,
  operationId: "stepDown",
  summary: "A holder steps down; the last one leaving makes the role vacant and calls for volunteers",
  params: HolderParams,
  responses: { 204: { description: "Stepped down" }, ...errorResponses },
});
const volunteer = defineRoute({
  method: "post",
  path: `${groupBase}/roles/{roleId}/volunteers`,
  operationId: "volunteer",
  summary: "Record a member volunteering for the vacant role (as if they had replied)",
  params: RoleParams,
  body: { schema: VolunteerInput, required: true },
  responses: {
    201: json("Recorded", VolunteerOutcome),
    200: json("Already recorded", VolunteerOutcome),
    ...errorResponses,
  },
});
const appoint = defineRoute({
  method: "post",
  path: `${groupBase}/roles/{roleId}/appointment`,
  operationId: "appoint",
  summary: "Appoint one of the volunteers (designated groups: the leader's decision)",
  params: RoleParams,
  body: { schema: AppointmentInput, required: true },
  responses: { 200: json("Appointed", GroupRoleView), ...errorResponses },
});
const leadership = defineRoute({
  method: "put",
  path: `${groupBase}/leadership`,
  operationId: "setLeadership",
  summary: "How the group fills its roles: model, designated leader, rotation, coordinators",
  params: GroupParams,
  body: { schema: LeadershipInput, required: true },
  responses: { 200: json("The group's leadership", Leadership), ...errorResponses },
});
const addTraining = defineRoute({
  method: "post",
  path: `${groupBase}/members/{memberId}/training`,
  operationId: "recordTraining",
  summary: "Record a training the member completed (recording it twice is one record)",
  params: MemberParams,
  body: { schema: TrainingInput, required: true },
  responses: {
    201: json("Recorded", TrainingRecord),
    200: json("Already recorded", TrainingRecord),
    ...errorResponses,
  },
});
const listTraining = defineRoute({
  method: "get",
  path: `${groupBase}/members/{memberId}/training`,
  operationId: "listTraining",
  summary: "The member's training records",
  params: MemberParams,
  responses: {
    200: json("Training records", z.object({ items: z.array(TrainingRecord) })),
    ...errorResponses,
  },
});

const withVolunteers = async (ports: Ports, role: RoleView) => ({
  ...role,
  volunteers: role.vacantSince === undefined ? [] : await ports.roles.listVolunteers(currentVacancy(role)),
});

const inGroup = async (ports: Ports, o: string, g: string, memberId: string) => {
  if (!(await ports.store.listGroupMembers(o, g)).some((m) => m.id === memberId))
    throw notFound("member in this group");
};

export const roleRoutes = (ports: Ports): ApiRoute[] => [
  implement(catalogue, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireOrganisation(c.var.principal, organisationId);
    return c.json({ items: await ports.roles.getCatalogue(organisationId) }, 200);
  }),
  implement(extendCatalogue, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json({ items: await ports.roles.addRoleDefinition(organisationId, c.req.valid("json")) }, 201);
  }),
  implement(list, async (c) => {
    const { organisationId, groupId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const roles = await listRoles(ports, organisationId, groupId);
    return c.json({ items: await Promise.all(roles.map((role) => withVolunteers(ports, role))) }, 200);
  }),
  implement(takeUp, async (c) => {
    const { organisationId, groupId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const role = await takeUpRole(ports, organisationId, groupId, c.req.valid("json"));
    return c.json(await withVolunteers(ports, role), 201);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId, roleId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    return c.json(
      await withVolunteers(ports, await getRoleView(ports, organisationId, groupId, roleId)),
      200,
    );
  }),
  implement(assign, async (c) => {
    const { organisationId, groupId, roleId } = c.req.valid("param");
    const principal = c.var.principal;
    requireGroup(principal, organisationId, groupId);
    const { override, ...input } = c.req.valid("json");
    if (override) requireUmbrellaAdmin(principal, organisationId);
    const role = await assignRole(
      ports,
      organisationId,
      groupId,
      roleId,
      { ...input, ...(override ? { override: { by: principal.subject, reason: override.reason } } : {}) },
      "assigned",
    );
    return c.json(await withVolunteers(ports, role), 201);
  }),
  implement(stepDown, async (c) => {
    const { organisationId, groupId, roleId, memberId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    await stepDownFromRole(ports, organisationId, groupId, roleId, memberId);
    return c.body(null, 204);
  }),
  implement(volunteer, async (c) => {
    const { organisationId, groupId, roleId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const { memberId } = c.req.valid("json");
    const role = await getRoleView(ports, organisationId, groupId, roleId);
    const outcome = await volunteerFor(ports, currentVacancy(role), memberId);
    if (outcome.kind === "not-a-member")
      throw invalid("memberId", "only a member of the group can volunteer");
    if (outcome.kind === "vacancy-over") throw conflict("the role is filled: there is no vacancy");
    return c.json({ outcome: outcome.kind }, outcome.kind === "recorded" ? 201 : 200);
  }),
  implement(appoint, async (c) => {
    const { organisationId, groupId, roleId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const role = await getRoleView(ports, organisationId, groupId, roleId);
    const appointed = await appointVolunteer(ports, currentVacancy(role), c.req.valid("json").memberId);
    return c.json(await withVolunteers(ports, appointed), 200);
  }),
  implement(leadership, async (c) => {
    const { organisationId, groupId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    const group = await setLeadership(ports, organisationId, groupId, c.req.valid("json"));
    const { leadershipModel, leaderMemberId, rotationOrder, coordinatorMemberIds } = group;
    return c.json({ leadershipModel, leaderMemberId, rotationOrder, coordinatorMemberIds }, 200);
  }),
  implement(addTraining, async (c) => {
    const { organisationId, groupId, memberId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    await inGroup(ports, organisationId, groupId, memberId);
    const { record, created } = await recordTraining(ports, organisationId, groupId, {
      memberId,
      ...c.req.valid("json"),
    });
    return c.json(record, created ? 201 : 200);
  }),
  implement(listTraining, async (c) => {
    const { organisationId, groupId, memberId } = c.req.valid("param");
    requireGroup(c.var.principal, organisationId, groupId);
    await inGroup(ports, organisationId, groupId, memberId);
    return c.json({ items: await ports.roles.listMemberTraining(organisationId, memberId) }, 200);
  }),
];
