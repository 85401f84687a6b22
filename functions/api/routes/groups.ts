import { requireOrganisation, requireUmbrellaAdmin } from "#access/principal.ts";
import { notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { createGroup } from "#use-cases/directory/manage-directory.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { GroupParams, OrgParams, groupParams, groupPath } from "./params.ts";
import { Group, GroupInput } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const create = defineRoute({
  method: "post",
  path: "/organisations/{organisationId}/groups",
  operationId: "createGroup",
  summary: "Create a group (umbrella admins)",
  params: OrgParams,
  body: { schema: GroupInput, required: true },
  responses: { 201: json("Created", Group), ...errorResponses },
});

const list = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/groups",
  operationId: "listGroups",
  summary: "List the groups the caller may see",
  params: OrgParams,
  responses: { 200: json("Groups", z.object({ items: z.array(Group) })), ...errorResponses },
});

const read = defineRoute({
  method: "get",
  path: groupPath,
  operationId: "getGroup",
  summary: "Read a group",
  params: GroupParams,
  responses: { 200: json("The group", Group), ...errorResponses },
});

export const groupRoutes = (ports: Ports): ApiRoute[] => [
  implement(create, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json(await createGroup(ports, organisationId, c.req.valid("json")), 201);
  }),
  implement(list, async (c) => {
    const { organisationId } = c.req.valid("param");
    const p = c.var.principal;
    requireOrganisation(p, organisationId);
    const groups = await ports.store.listGroups(organisationId);
    const visible = p.role === "umbrella-admin" ? groups : groups.filter((g) => p.groupIds.includes(g.id));
    return c.json({ items: visible }, 200);
  }),
  implement(read, async (c) => {
    const { organisationId, groupId } = groupParams(c);
    const group = await ports.store.getGroup(organisationId, groupId);
    if (!group) throw notFound("group");
    return c.json(group, 200);
  }),
];
