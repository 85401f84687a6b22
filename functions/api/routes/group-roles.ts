import { requireGroup, requireUmbrellaAdmin } from "#access/principal.ts";
import type { Ports } from "#ports/ports.ts";
import {
  assignRole,
  getRoleView,
  listRoles,
  stepDownFromRole,
  takeUpRole,
} from "#use-cases/roles/role-holders.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, groupParams, groupPath } from "./params.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";
import { GroupRoleView, HolderParams, Instant, RoleParams, Slug, withVolunteers } from "./role-schemas.ts";

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
const list = defineRoute({
  method: "get",
  path: `${groupPath}/roles`,
  operationId: "listGroupRoles",
  summary: "The group's roles, their holders, and the volunteers for each vacancy",
  params: GroupParams,
  responses: { 200: json("Roles", z.object({ items: z.array(GroupRoleView) })), ...errorResponses },
});
const takeUp = defineRoute({
  method: "post",
  path: `${groupPath}/roles`,
  operationId: "takeUpRole",
  summary: "The group takes up a catalogue role (vacant until someone holds it)",
  params: GroupParams,
  body: { schema: TakeUpInput, required: true },
  responses: { 201: json("Taken up", GroupRoleView), ...errorResponses },
});
const read = defineRoute({
  method: "get",
  path: `${groupPath}/roles/{roleId}`,
  operationId: "getGroupRole",
  summary: "One role with its holders and volunteers",
  params: RoleParams,
  responses: { 200: json("The role", GroupRoleView), ...errorResponses },
});
const assign = defineRoute({
  method: "post",
  path: `${groupPath}/roles/{roleId}/holders`,
  operationId: "assignRole",
  summary: "Assign a member to the role (training must be current, or an admin's override)",
  params: RoleParams,
  body: { schema: AssignInput, required: true },
  responses: { 201: json("Assigned", GroupRoleView), ...errorResponses },
});
const stepDown = defineRoute({
  method: "delete",
  path: `${groupPath}/roles/{roleId}/holders/{memberId}`,
  operationId: "stepDown",
  summary: "A holder steps down; the last one leaving makes the role vacant and calls for volunteers",
  params: HolderParams,
  responses: { 204: { description: "Stepped down" }, ...errorResponses },
});

/** A group's roles and their holders: taking a role up, assigning it, stepping down. */
export const groupRoleRoutes = (ports: Ports): ApiRoute[] => [
  implement(list, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const roles = await listRoles(ports, organisationId, groupId);
    return c.json({ items: await Promise.all(roles.map((role) => withVolunteers(ports, role))) }, 200);
  }),
  implement(takeUp, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const role = await takeUpRole(ports, organisationId, groupId, c.req.valid("json"));
    return c.json(await withVolunteers(ports, role), 201);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId, roleId } = groupParams(c);
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
    const { organisationId, groupId, roleId, memberId } = groupParams(c);
    await stepDownFromRole(ports, organisationId, groupId, roleId, memberId);
    return c.body(null, 204);
  }),
];
